// Keystone tokens against real parts: issue, validate, revoke, expiry, and the failures
// that must look the same whichever part of the credentials was wrong.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestApi, TEST_ADMIN_PASSWORD, type TestApi } from '../support/api-harness.js';

let api: TestApi;
beforeAll(async () => {
  api = await openTestApi();
});
afterAll(async () => {
  await api.close();
});

const passwordAuth = (user: Record<string, unknown>, password: string, scope?: Record<string, unknown>) => ({
  auth: { identity: { methods: ['password'], password: { user: { ...user, password } } }, ...(scope ? { scope } : {}) },
});

describe('POST /identity/v3/auth/tokens', () => {
  it('issues a project-scoped token with user, project, roles and catalog', async () => {
    const response = await api.app.inject({
      method: 'POST',
      url: '/identity/v3/auth/tokens',
      payload: passwordAuth({ name: 'admin', domain: { name: 'Default' } }, TEST_ADMIN_PASSWORD, { project: { name: 'admin', domain: { name: 'Default' } } }),
    });
    expect(response.statusCode).toBe(201);
    expect(response.headers['x-subject-token']).toMatch(/^[A-Za-z0-9_-]{43}$/);
    interface TokenBody {
      user: object;
      project: object;
      roles: Array<{ name: string }>;
      catalog: Array<{ type: string; endpoints: Array<{ url: string }> }>;
      expires_at: string;
      issued_at: string;
    }
    const { token } = response.json<{ token: TokenBody }>();
    expect(token.user).toMatchObject({ name: 'admin', domain: { id: 'default', name: 'Default' } });
    expect(token.project).toMatchObject({ name: 'admin', domain: { id: 'default' } });
    expect(token.roles.map((role) => role.name).sort()).toEqual(['admin', 'member', 'reader']);
    expect(token.catalog.map((service) => service.type)).toEqual(
      expect.arrayContaining(['identity', 'image', 'compute', 'volumev3']),
    );
    const compute = token.catalog.find((service) => service.type === 'compute');
    expect(compute?.endpoints[0]?.url).toMatch(/\/compute\/v2\.1$/);
    expect(Date.parse(token.expires_at) - Date.parse(token.issued_at)).toBe(3600 * 1000);
  });

  it('omits the catalog with ?nocatalog and validates with GET, then revokes with DELETE', async () => {
    const token = await api.adminToken();
    const headers = { 'x-auth-token': token, 'x-subject-token': token };
    const shown = await api.app.inject({ method: 'GET', url: '/identity/v3/auth/tokens?nocatalog', headers });
    expect(shown.statusCode).toBe(200);
    expect(shown.json<{ token: object }>().token).not.toHaveProperty('catalog');
    expect((await api.app.inject({ method: 'DELETE', url: '/identity/v3/auth/tokens', headers })).statusCode).toBe(204);
    const after = await api.app.inject({ method: 'GET', url: '/identity/v3/projects', headers: { 'x-auth-token': token } });
    expect(after.statusCode).toBe(401);
  });

  it.each([
    ['a wrong password', passwordAuth({ name: 'admin', domain: { id: 'default' } }, 'wrong')],
    ['an unknown user', passwordAuth({ name: 'nobody', domain: { id: 'default' } }, 'whatever')],
    ['an unknown user id', passwordAuth({ id: '0'.repeat(32) }, 'whatever')],
    ['another domain', passwordAuth({ name: 'admin', domain: { id: 'other' } }, TEST_ADMIN_PASSWORD)],
    ['a project without a role', passwordAuth({ name: 'admin', domain: { id: 'default' } }, TEST_ADMIN_PASSWORD, { project: { name: 'nope', domain: { id: 'default' } } })],
  ])('answers %s with the same 401', async (_case, payload) => {
    const response = await api.app.inject({ method: 'POST', url: '/identity/v3/auth/tokens', payload });
    expect(response.statusCode).toBe(401);
    expect(response.json()).toEqual({ error: { code: 401, title: 'Unauthorized', message: 'The request you have made requires authentication.' } });
  });

  it.each([
    ['no body', undefined],
    ['not JSON', 'auth='],
    ['no identity', { auth: {} }],
    ['a user with neither id nor name', passwordAuth({ domain: { id: 'default' } }, 'x')],
    ['a user name without a domain', passwordAuth({ name: 'admin' }, 'x')],
    ['methods not a list', { auth: { identity: { methods: 'password' } } }],
  ])('answers %s with 400', async (_case, payload) => {
    const response = await api.app.inject({ method: 'POST', url: '/identity/v3/auth/tokens', payload, headers: { 'content-type': 'application/json' } });
    expect(response.statusCode).toBe(400);
    expect(response.json<{ error: { code: number } }>().error.code).toBe(400);
  });

  it.each([
    ['no token', {}],
    ['a forged token', { 'x-auth-token': 'A'.repeat(43) }],
    ['a huge token', { 'x-auth-token': 'A'.repeat(5000) }],
  ])('refuses a guarded route with %s', async (_case, headers) => {
    const response = await api.app.inject({ method: 'GET', url: '/identity/v3/projects', headers });
    expect(response.statusCode).toBe(401);
    expect(response.headers['www-authenticate']).toContain('Keystone');
  });

  it('records the issue and revocation as events without the token value', async () => {
    const token = await api.adminToken();
    const events = await api.context.events.readAll();
    const issued = events.filter((event) => event.type === 'TokenIssued.v1');
    expect(issued.length).toBeGreaterThan(0);
    expect(JSON.stringify(events)).not.toContain(token);
  });
});

describe('expiry', () => {
  it('refuses a token after its lifetime', async () => {
    const shortLived = await openTestApi({ identity: { adminPassword: TEST_ADMIN_PASSWORD, tokenTtlSeconds: 1 } });
    try {
      const token = await shortLived.adminToken();
      const before = await shortLived.app.inject({ method: 'GET', url: '/identity/v3/projects', headers: { 'x-auth-token': token } });
      expect(before.statusCode).toBe(200);
      await new Promise((resolve) => setTimeout(resolve, 1100));
      const after = await shortLived.app.inject({ method: 'GET', url: '/identity/v3/projects', headers: { 'x-auth-token': token } });
      expect(after.statusCode).toBe(401);
    } finally {
      await shortLived.close();
    }
  });
});
