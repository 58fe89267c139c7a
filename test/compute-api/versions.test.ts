// Nova version discovery and microversion negotiation: the documents, the headers a
// response echoes, and the refusals (400 for a malformed version, 406 out of range).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_MICROVERSION } from '../../api/compute/microversion.js';
import { openComputeHarness, type ComputeHarness } from './compute-harness.js';

let harness: ComputeHarness;
beforeAll(async () => {
  harness = await openComputeHarness();
});
afterAll(async () => {
  await harness.close();
});

describe('compute version discovery', () => {
  it('lists v2.0 (deprecated) and v2.1 (current) at the root, without a token', async () => {
    const response = await harness.api.app.inject({ method: 'GET', url: '/compute/' });
    expect(response.statusCode).toBe(200);
    const { versions } = response.json<{ versions: Array<Record<string, unknown>> }>();
    expect(versions).toEqual([
      expect.objectContaining({ id: 'v2.0', status: 'DEPRECATED', version: '', min_version: '' }),
      expect.objectContaining({ id: 'v2.1', status: 'CURRENT', version: MAX_MICROVERSION, min_version: '2.1', updated: '2013-07-23T11:33:21Z' }),
    ]);
    expect(versions[1]?.links).toEqual([{ rel: 'self', href: expect.stringMatching(/\/compute\/v2\.1\/$/) }]);
  });

  it.each(['/compute/v2.1', '/compute/v2.1/'])('describes v2.1 at %s', async (url) => {
    const response = await harness.api.app.inject({ method: 'GET', url });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      version: expect.objectContaining({ id: 'v2.1', status: 'CURRENT', version: MAX_MICROVERSION, min_version: '2.1', 'media-types': expect.any(Array) }),
    });
  });

  it('documents the compute routes in the OpenAPI document', async () => {
    const response = await harness.api.app.inject({ method: 'GET', url: '/docs/json' });
    expect(response.statusCode).toBe(200);
    const { paths } = response.json<{ paths: Record<string, unknown> }>();
    expect(Object.keys(paths)).toEqual(expect.arrayContaining(['/compute/v2.1/servers', '/compute/v2.1/flavors', '/compute/v2.1/servers/{serverId}/action']));
  });
});

describe('microversions', () => {
  const flavorsWith = (headers: Record<string, string>) => harness.compute(harness.alice, 'GET', '/flavors/1', { headers });

  it('defaults to 2.1 and echoes both headers with Vary', async () => {
    const response = await flavorsWith({});
    expect(response.statusCode).toBe(200);
    expect(response.headers['openstack-api-version']).toBe('compute 2.1');
    expect(response.headers['x-openstack-nova-api-version']).toBe('2.1');
    expect(response.headers.vary).toBe('OpenStack-API-Version, X-OpenStack-Nova-API-Version');
  });

  it.each([
    [{ 'openstack-api-version': 'compute 2.47' }, '2.47'],
    [{ 'openstack-api-version': 'image 2.5, compute 2.60' }, '2.60'],
    [{ 'openstack-api-version': 'compute latest' }, MAX_MICROVERSION],
    [{ 'x-openstack-nova-api-version': '2.55' }, '2.55'],
    [{ 'x-openstack-nova-api-version': 'latest' }, MAX_MICROVERSION],
    // The new header wins over the legacy one.
    [{ 'openstack-api-version': 'compute 2.10', 'x-openstack-nova-api-version': '2.20' }, '2.10'],
    // A new header for another service leaves the legacy one in charge.
    [{ 'openstack-api-version': 'volume 3.10', 'x-openstack-nova-api-version': '2.20' }, '2.20'],
  ])('negotiates %j as %s', async (headers, expected) => {
    const response = await flavorsWith(headers);
    expect(response.statusCode).toBe(200);
    expect(response.headers['openstack-api-version']).toBe(`compute ${expected}`);
    expect(response.headers['x-openstack-nova-api-version']).toBe(expected);
  });

  it.each(['2.0', '2.80', '3.1', '1.5', '2.9999'])('refuses version %s with 406 in Nova dialect', async (version) => {
    const response = await flavorsWith({ 'openstack-api-version': `compute ${version}` });
    expect(response.statusCode).toBe(406);
    expect(response.json()).toEqual({ notAcceptable: { code: 406, message: expect.stringContaining(`Version ${version} is not supported by the API`) } });
  });

  it.each(['2', 'two.one', '2.01', '2.1.3', ''])('refuses malformed version %j with 400', async (version) => {
    const response = await flavorsWith({ 'x-openstack-nova-api-version': version });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({ badRequest: { code: 400, message: expect.stringContaining('is of invalid format') } });
  });

  it('shapes bodies by the version: flavor description from 2.55, swap as a number from 2.75', async () => {
    const old = (await harness.compute(harness.alice, 'GET', '/flavors/1', { version: '2.54' })).json<{ flavor: Record<string, unknown> }>().flavor;
    expect(old).not.toHaveProperty('description');
    expect(old.swap).toBe('');
    const current = (await harness.compute(harness.alice, 'GET', '/flavors/1', { version: '2.75' })).json<{ flavor: Record<string, unknown> }>().flavor;
    expect(current).toHaveProperty('description', null);
    expect(current.swap).toBe(0);
  });

  it('answers unknown compute paths 404 in Nova dialect', async () => {
    const response = await harness.compute(harness.alice, 'GET', '/no-such-thing');
    expect(response.statusCode).toBe(404);
    expect(response.json()).toEqual({ itemNotFound: { code: 404, message: expect.any(String) } });
  });
});
