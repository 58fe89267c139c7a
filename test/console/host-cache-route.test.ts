// `GET /ops/v1/hosts/{host}/cache` (the console's hosts page) refuses a host that never
// registered, before it would start a listing no worker answers. The listing itself is
// proven in console.test.ts against a real compute worker.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestApi, type TestApi } from '../support/api-harness.js';

let api: TestApi;
let token: string;
beforeAll(async () => {
  api = await openTestApi();
  token = await api.adminToken();
});
afterAll(async () => {
  await api?.close();
});

describe('host cache route', () => {
  it('answers 404 for a host that never registered', async () => {
    const response = await api.app.inject({ method: 'GET', url: '/ops/v1/hosts/no-such-host/cache', headers: { 'x-auth-token': token } });
    expect(response.statusCode).toBe(404);
    expect(response.json()).toMatchObject({ error: { code: 404, message: 'Compute host no-such-host could not be found.' } });
  });

  it('needs a token', async () => {
    expect((await api.app.inject({ method: 'GET', url: '/ops/v1/hosts/no-such-host/cache' })).statusCode).toBe(401);
  });
});
