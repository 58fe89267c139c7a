// Every route declares the policy action that guards it (or null for public routes), and
// a guarded route refuses callers without a token.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_POLICY_RULES } from '../../domain/policy/defaults/index.js';
import { openTestApi, type TestApi } from '../support/api-harness.js';

let api: TestApi;
beforeAll(async () => {
  api = await openTestApi();
});
afterAll(async () => {
  await api.close();
});

describe('route table', () => {
  it('has no route without a policy declaration', () => {
    expect(api.app.routeTable.length).toBeGreaterThan(20);
    expect(api.app.routeTable.filter((route) => route.policy === undefined)).toEqual([]);
  });

  it('names only actions that have a default rule', () => {
    const unknown = api.app.routeTable.filter((route) => typeof route.policy === 'string' && !(route.policy in DEFAULT_POLICY_RULES));
    expect(unknown).toEqual([]);
  });

  it('refuses every guarded route without a token (401, not 404 or 500)', async () => {
    const guarded = api.app.routeTable.filter((route) => typeof route.policy === 'string' && route.method !== 'HEAD');
    for (const route of guarded) {
      const url = route.url.replace(/:[A-Za-z_]+/g, '00000000-0000-0000-0000-000000000000');
      const response = await api.app.inject({ method: route.method as 'GET', url });
      expect(response.statusCode, `${route.method} ${route.url}`).toBe(401);
    }
  });
});
