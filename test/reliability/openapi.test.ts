// The OpenAPI document at /docs/json is complete: every route fastify registered is in it
// (or is a hidden trailing-slash alias of one that is, or an operator-console asset), with
// its path parameters and its request body documented, and a response schema for each
// success that has a JSON body. New routes are held to this the moment they are registered.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RouteEntry } from '../../api/app.js';
import { openTestApi, type TestApi } from '../support/api-harness.js';
import { operationsOf, routeUrlOf, type OpenApiDocument, type Operation } from './fuzz/openapi.js';

/** Routes that change state without a JSON body, and why. */
const BODILESS: Record<string, string> = {
  'PUT /image/v2/images/:imageId/file': 'image data, streamed as application/octet-stream',
  'PUT /image/v2/images/:imageId/stage': 'image data, streamed as application/octet-stream',
  'POST /image/v2/images/:imageId/actions/deactivate': 'the action is the path',
  'POST /image/v2/images/:imageId/actions/reactivate': 'the action is the path',
  'PUT /image/v2/images/:imageId/tags/:tag': 'the tag is the path',
  'PUT /identity/v3/projects/:projectId/users/:userId/roles/:roleId': 'the grant is the path',
};

let api: TestApi;
let operations: Operation[];
beforeAll(async () => {
  api = await openTestApi();
  operations = operationsOf((await api.app.inject({ method: 'GET', url: '/docs/json' })).json<OpenApiDocument>());
});
afterAll(async () => {
  await api.close();
});

const key = (method: string, url: string) => `${method} ${url}`;
const withoutTrailingSlash = (url: string) => (url.length > 1 ? url.replace(/\/$/, '') : url);

/** The routes a client calls: not HEAD (fastify adds one per GET) and not the documentation itself. */
function apiRoutes(): RouteEntry[] {
  return api.app.routeTable.filter((route) => route.method !== 'HEAD' && !route.url.startsWith('/docs'));
}

describe('the OpenAPI document', () => {
  it('lists every registered route', () => {
    const documented = new Set(operations.map((operation) => key(operation.method, routeUrlOf(operation.path))));
    const documentedLoosely = new Set(operations.map((operation) => key(operation.method, withoutTrailingSlash(routeUrlOf(operation.path)))));
    const missing = apiRoutes().filter((route) => {
      if (documented.has(key(route.method, route.url))) return false;
      const alias = documentedLoosely.has(key(route.method, withoutTrailingSlash(route.url)));
      // A hidden route must be an alias of a documented one, or an asset of the operator console.
      return !(alias || (route.hidden && route.url.startsWith('/console')));
    });
    expect(apiRoutes().length).toBeGreaterThan(80);
    expect(missing.map((route) => key(route.method, route.url))).toEqual([]);
  });

  it('documents every path parameter of every operation', () => {
    const undocumented = operations.flatMap((operation) =>
      [...operation.path.matchAll(/\{([^}]+)\}/g)]
        .map((match) => match[1]!)
        .filter((name) => !operation.parameters.some((parameter) => parameter.in === 'path' && parameter.name === name))
        .map((name) => `${operation.method} ${operation.path}: ${name}`),
    );
    expect(undocumented).toEqual([]);
  });

  it('documents the request body of every operation that takes one', () => {
    const writes = operations.filter((operation) => ['POST', 'PUT', 'PATCH'].includes(operation.method));
    const undocumented = writes.filter((operation) => !operation.body && !(key(operation.method, routeUrlOf(operation.path)) in BODILESS));
    expect(undocumented.map((operation) => key(operation.method, operation.path))).toEqual([]);
    const stale = Object.keys(BODILESS).filter((entry) => !writes.some((operation) => key(operation.method, routeUrlOf(operation.path)) === entry));
    expect(stale, 'BODILESS names routes that no longer exist').toEqual([]);
  });

  it('documents a response schema for the success of every operation', () => {
    const undocumented = operations.filter((operation) => !Object.entries(operation.responses).some(([status, schema]) => /^[23]/.test(status) && schema !== undefined));
    expect(undocumented.map((operation) => key(operation.method, operation.path))).toEqual([]);
  });
});
