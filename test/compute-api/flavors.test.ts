// Nova flavors over the real event store and read model: the seeded defaults, the list's
// filters and paging, show, extra specs, and the admin's create and delete.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FlavorCommands } from '../../application/flavors/flavor-commands.js';
import { requestMetadata } from '../../application/metadata.js';
import { FLAVORS_STREAM } from '../../domain/compute/flavor.js';
import { openComputeHarness, type ComputeHarness } from './compute-harness.js';

let harness: ComputeHarness;
beforeAll(async () => {
  harness = await openComputeHarness();
});
afterAll(async () => {
  await harness.close();
});

type FlavorBody = Record<string, unknown> & { id: string; name: string };

const DEFAULTS = [
  { id: '1', name: 'm1.tiny', ram: 512, disk: 1, vcpus: 1 },
  { id: '2', name: 'm1.small', ram: 2048, disk: 20, vcpus: 1 },
  { id: '3', name: 'm1.medium', ram: 4096, disk: 40, vcpus: 2 },
  { id: '4', name: 'm1.large', ram: 8192, disk: 80, vcpus: 4 },
  { id: '5', name: 'm1.xlarge', ram: 16384, disk: 160, vcpus: 8 },
];

async function list(path: string, version?: string): Promise<FlavorBody[]> {
  const response = await harness.compute(harness.alice, 'GET', path, { version });
  expect(response.statusCode, response.body).toBe(200);
  return response.json<{ flavors: FlavorBody[] }>().flavors;
}

describe('default flavors', () => {
  it('are seeded with Nova detail fields', async () => {
    const flavors = await list('/flavors/detail');
    expect(flavors).toEqual(
      DEFAULTS.map((flavor) => ({
        ...flavor,
        swap: '',
        'OS-FLV-EXT-DATA:ephemeral': 0,
        'OS-FLV-DISABLED:disabled': false,
        'os-flavor-access:is_public': true,
        rxtx_factor: 1,
        links: [
          { rel: 'self', href: expect.stringMatching(new RegExp(`/compute/v2\\.1/flavors/${flavor.id}$`)) },
          { rel: 'bookmark', href: expect.stringMatching(new RegExp(`/compute/flavors/${flavor.id}$`)) },
        ],
      })),
    );
  });

  it('list as {id, name, links}, with description and extra_specs by microversion', async () => {
    expect((await list('/flavors'))[0]).toEqual({ id: '1', name: 'm1.tiny', links: expect.any(Array) });
    expect((await list('/flavors', '2.55'))[0]).toEqual({ id: '1', name: 'm1.tiny', description: null, links: expect.any(Array) });
    expect((await list('/flavors/detail', '2.61'))[0]).toMatchObject({ extra_specs: {}, description: null });
  });

  it('are seeded once: two more seedings at the same time add nothing', async () => {
    const { events, projections } = harness.api.context;
    const commands = new FlavorCommands(events, projections);
    const metadata = requestMetadata(null, 'seed-again');
    await Promise.all([commands.seedDefaults(metadata), commands.seedDefaults(metadata)]);
    const created = (await events.readStream(FLAVORS_STREAM)).filter((event) => event.type === 'FlavorCreated.v1');
    expect(created.filter((event) => ['1', '2', '3', '4', '5'].includes((event.data as { id: string }).id))).toHaveLength(5);
  });
});

describe('flavor list filters and paging', () => {
  it.each([
    ['?minRam=4096', ['3', '4', '5']],
    ['?minDisk=40&minRam=8192', ['4', '5']],
    ['?sort_key=memory_mb&sort_dir=desc', ['5', '4', '3', '2', '1']],
    ['?sort_key=name', ['4', '3', '2', '1', '5']],
    ['?limit=2&marker=2', ['3', '4']],
    // Ties are broken by id, in the same direction.
    ['?sort_key=vcpus&sort_dir=desc&limit=2&marker=4', ['3', '2']],
  ])('%s', async (query, ids) => {
    const flavors = await list(`/flavors${query}`);
    expect(flavors.filter((flavor) => /^[1-5]$/.test(flavor.id)).map((flavor) => flavor.id)).toEqual(ids);
  });

  it('links the next page of a full page', async () => {
    const response = await harness.compute(harness.alice, 'GET', '/flavors?limit=2&minRam=1');
    const body = response.json<{ flavors: FlavorBody[]; flavors_links: Array<{ rel: string; href: string }> }>();
    expect(body.flavors.map((flavor) => flavor.id)).toEqual(['1', '2']);
    expect(body.flavors_links).toEqual([{ rel: 'next', href: expect.stringContaining('/compute/v2.1/flavors?') }]);
    const next = new URL(body.flavors_links[0]?.href ?? '');
    expect(Object.fromEntries(next.searchParams)).toEqual({ limit: '2', minRam: '1', marker: '2' });
  });

  it.each([
    ['?minRam=abc', 'Invalid minRam filter [abc]'],
    ['?minDisk=-1', 'Invalid minDisk filter [-1]'],
    ['?limit=-1', 'limit param must be positive'],
    ['?limit=x', 'limit param must be an integer'],
    ['?marker=no-such-flavor', 'marker [no-such-flavor] not found'],
    ['?sort_key=colour', 'Invalid sort_key colour'],
    ['?sort_dir=up', 'Invalid sort_dir up'],
  ])('refuses %s with 400', async (query, message) => {
    const response = await harness.compute(harness.alice, 'GET', `/flavors${query}`);
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({ badRequest: { code: 400, message: expect.stringContaining(message) } });
  });
});

describe('flavor show and extra specs', () => {
  it('shows a flavor by id, 404 in Nova dialect otherwise', async () => {
    const shown = await harness.compute(harness.alice, 'GET', '/flavors/2');
    expect(shown.json()).toMatchObject({ flavor: { id: '2', name: 'm1.small', ram: 2048 } });
    const missing = await harness.compute(harness.alice, 'GET', '/flavors/m1.tiny');
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toEqual({ itemNotFound: { code: 404, message: 'Flavor m1.tiny could not be found.' } });
  });

  it('serves empty extra specs (strata records none)', async () => {
    const response = await harness.compute(harness.alice, 'GET', '/flavors/1/os-extra_specs');
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ extra_specs: {} });
  });

  it('requires a token', async () => {
    const response = await harness.api.app.inject({ method: 'GET', url: '/compute/v2.1/flavors' });
    expect(response.statusCode).toBe(401);
  });
});

describe('flavor create and delete', () => {
  it('lets the admin create a flavor (200) that members then see, and delete it (202)', async () => {
    const created = await harness.compute(harness.admin, 'POST', '/flavors', {
      json: { flavor: { name: 'c1.test', id: 'c1', ram: '1024', vcpus: 2, disk: 5, 'OS-FLV-EXT-DATA:ephemeral': 1, swap: 256, rxtx_factor: 1.0 } },
    });
    expect(created.statusCode, created.body).toBe(200);
    expect(created.json()).toMatchObject({ flavor: { id: 'c1', name: 'c1.test', ram: 1024, vcpus: 2, disk: 5, swap: 256, 'OS-FLV-EXT-DATA:ephemeral': 1, 'os-flavor-access:is_public': true } });
    expect((await list('/flavors')).map((flavor) => flavor.id)).toContain('c1');

    const deleted = await harness.compute(harness.admin, 'DELETE', '/flavors/c1');
    expect(deleted.statusCode).toBe(202);
    expect(deleted.body).toBe('');
    expect((await harness.compute(harness.alice, 'GET', '/flavors/c1')).statusCode).toBe(404);
  });

  it('gives a flavor without an id a UUID, takes a description from 2.55', async () => {
    const created = await harness.compute(harness.admin, 'POST', '/flavors', {
      version: '2.55',
      json: { flavor: { name: 'c2.described', ram: 256, vcpus: 1, disk: 0, id: null, description: 'for tests' } },
    });
    expect(created.statusCode, created.body).toBe(200);
    expect(created.json()).toMatchObject({ flavor: { id: expect.stringMatching(/^[0-9a-f-]{36}$/), description: 'for tests' } });
  });

  it('hides a private flavor from members but not from the admin', async () => {
    const created = await harness.compute(harness.admin, 'POST', '/flavors', {
      json: { flavor: { name: 'c3.private', id: 'c3', ram: 256, vcpus: 1, disk: 1, 'os-flavor-access:is_public': false } },
    });
    expect(created.statusCode, created.body).toBe(200);
    expect((await harness.compute(harness.alice, 'GET', '/flavors/c3')).statusCode).toBe(404);
    expect((await list('/flavors?is_public=none')).map((flavor) => flavor.id)).not.toContain('c3');
    const adminAll = await harness.compute(harness.admin, 'GET', '/flavors?is_public=none');
    expect(adminAll.json<{ flavors: FlavorBody[] }>().flavors.map((flavor) => flavor.id)).toContain('c3');
    const adminPrivate = await harness.compute(harness.admin, 'GET', '/flavors?is_public=false');
    expect(adminPrivate.json<{ flavors: FlavorBody[] }>().flavors.map((flavor) => flavor.id)).toEqual(['c3']);
  });

  it('answers the access list of a private flavor (empty: strata keeps none) to admins only', async () => {
    expect((await harness.compute(harness.admin, 'GET', '/flavors/c3/os-flavor-access')).json()).toEqual({ flavor_access: [] });
    const publicFlavor = await harness.compute(harness.admin, 'GET', '/flavors/1/os-flavor-access');
    expect(publicFlavor.json()).toEqual({ itemNotFound: { code: 404, message: 'Access list not available for public flavors.' } });
    expect((await harness.compute(harness.alice, 'GET', '/flavors/c3/os-flavor-access')).statusCode).toBe(403);
  });

  it('refuses members: 403 for create and delete, nothing recorded', async () => {
    const before = await harness.eventCount();
    const create = await harness.compute(harness.alice, 'POST', '/flavors', { json: { flavor: { name: 'mine', ram: 1, vcpus: 1, disk: 1 } } });
    expect(create.statusCode).toBe(403);
    expect(create.json()).toEqual({ forbidden: { code: 403, message: "Policy doesn't allow os_compute_api:os-flavor-manage:create to be performed." } });
    expect((await harness.compute(harness.bob, 'DELETE', '/flavors/1')).statusCode).toBe(403);
    expect(await harness.eventCount()).toBe(before);
  });

  it.each([
    ['a duplicate id', { name: 'other', id: '1', ram: 1, vcpus: 1, disk: 1 }, 409, 'Flavor with ID 1 already exists.'],
    ['a duplicate name', { name: 'm1.tiny', ram: 1, vcpus: 1, disk: 1 }, 409, 'Flavor with name m1.tiny already exists.'],
    ['no name', { ram: 1, vcpus: 1, disk: 1 }, 400, 'name'],
    ['a name with a leading space', { name: ' x', ram: 1, vcpus: 1, disk: 1 }, 400, 'name'],
    ['zero ram', { name: 'x', ram: 0, vcpus: 1, disk: 1 }, 400, 'ram'],
    ['negative disk', { name: 'x', ram: 1, vcpus: 1, disk: -1 }, 400, 'disk'],
    ['fractional vcpus', { name: 'x', ram: 1, vcpus: 1.5, disk: 1 }, 400, 'vcpus'],
    ['vcpus beyond the domain bound', { name: 'x', ram: 1, vcpus: 5000, disk: 1 }, 400, 'vcpus'],
    ['an id with a slash', { name: 'x', id: 'a/b', ram: 1, vcpus: 1, disk: 1 }, 400, 'id'],
    ['an unknown key', { name: 'x', ram: 1, vcpus: 1, disk: 1, colour: 'red' }, 400, 'colour'],
    ['a description before 2.55', { name: 'x', ram: 1, vcpus: 1, disk: 1, description: 'd' }, 400, 'description'],
    ['an rxtx_factor other than 1', { name: 'x', ram: 1, vcpus: 1, disk: 1, rxtx_factor: 2 }, 400, 'rxtx_factor'],
    ['a bad is_public', { name: 'x', ram: 1, vcpus: 1, disk: 1, 'os-flavor-access:is_public': 'maybe' }, 400, 'is_public'],
  ])('refuses %s', async (_label, flavor, status, message) => {
    const before = await harness.eventCount();
    const response = await harness.compute(harness.admin, 'POST', '/flavors', { json: { flavor } });
    expect(response.statusCode, response.body).toBe(status);
    const fault = status === 409 ? 'conflictingRequest' : 'badRequest';
    expect(response.json()).toEqual({ [fault]: { code: status, message: expect.stringContaining(message) } });
    expect(await harness.eventCount()).toBe(before);
  });

  it('answers 404 when deleting a flavor that does not exist', async () => {
    const response = await harness.compute(harness.admin, 'DELETE', '/flavors/none-such');
    expect(response.statusCode).toBe(404);
    expect(response.json()).toEqual({ itemNotFound: { code: 404, message: 'Flavor none-such could not be found.' } });
  });

  it('keeps a deleted default deleted when the seed runs again (as on a restart)', async () => {
    expect((await harness.compute(harness.admin, 'DELETE', '/flavors/5')).statusCode).toBe(202);
    const { events, projections } = harness.api.context;
    await new FlavorCommands(events, projections).seedDefaults(requestMetadata(null, 'restart'));
    expect((await harness.compute(harness.admin, 'GET', '/flavors/5')).statusCode).toBe(404);
  });
});
