// POST /servers over real parts: a create records InstanceRequested, starts workflow
// launch-<id> in Temporal and answers 202 with what Nova answers; every bad create is a
// Nova error body (never a 500) and records nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { instanceStream } from '../../domain/compute/instance.js';
import { addHost } from '../scheduling/support/cluster.js';
import { openComputeHarness, type ComputeHarness, type Session } from './compute-harness.js';
import { BAD_CREATES, type Fixtures } from './server-create-cases.js';

let harness: ComputeHarness;
let fixtures: Fixtures;

async function adminFlavor(flavor: Record<string, unknown>): Promise<string> {
  const response = await harness.compute(harness.admin, 'POST', '/flavors', { json: { flavor } });
  if (response.statusCode !== 200) throw new Error(`create flavor: ${response.body}`);
  return response.json<{ flavor: { id: string } }>().flavor.id;
}

async function serverGroup(session: Session, name: string): Promise<string> {
  const response = await harness.compute(session, 'POST', '/os-server-groups', { json: { server_group: { name, policies: ['anti-affinity'] } } });
  if (response.statusCode !== 200) throw new Error(`create server group: ${response.body}`);
  return response.json<{ server_group: { id: string } }>().server_group.id;
}

beforeAll(async () => {
  harness = await openComputeHarness();
  const { alice, bob } = harness;
  // Zones exist where compute hosts registered: nova and zone-b.
  await addHost(harness.api.context.events, 'host-7', { availabilityZone: 'nova' });
  await addHost(harness.api.context.events, 'host-8', { availabilityZone: 'zone-b' });
  await harness.api.context.projections.waitFor(await harness.eventCount(), 5_000);
  fixtures = {
    othersGroup: await serverGroup(bob, 'bobs-group'),
    image: await harness.activeImage(alice, { visibility: 'private' }),
    othersPrivateImage: await harness.activeImage(bob, { visibility: 'private' }),
    queuedImage: (await harness.alice.call('POST', '/v2/images', { json: { name: 'empty', disk_format: 'raw', container_format: 'bare' } })).json<{ id: string }>().id,
    bigRamImage: await harness.activeImage(alice, { min_ram: 1024 }),
    bigDiskImage: await harness.activeImage(alice, { min_disk: 2 }),
    privateFlavor: await adminFlavor({ name: 'private-1', ram: 256, vcpus: 1, disk: 1, 'os-flavor-access:is_public': false }),
    zeroDiskFlavor: await adminFlavor({ name: 'zero-disk', ram: 256, vcpus: 1, disk: 0 }),
  };
}, 120_000);
afterAll(async () => {
  await harness.close();
});

type CreatedServer = { id: string; links: Array<{ rel: string; href: string }>; adminPass: string };

async function create(session: Session, fields: Record<string, unknown>, extra: { version?: string; body?: Record<string, unknown> } = {}) {
  const json = { server: { name: 'vm-1', imageRef: fixtures.image, flavorRef: '1', ...fields }, ...extra.body };
  const response = await harness.compute(session, 'POST', '/servers', { json, version: extra.version });
  expect(response.statusCode, response.body).toBe(202);
  return { response, server: response.json<{ server: CreatedServer }>().server };
}

async function recordedRequest(instanceId: string) {
  const [requested] = await harness.api.context.events.readStream(instanceStream(instanceId));
  expect(requested?.type).toBe('InstanceRequested.v1');
  return requested as NonNullable<typeof requested> & { data: Record<string, unknown> };
}

describe('POST /servers', () => {
  it('answers 202 with Location and Nova’s body, records the request, starts launch-<id>, and reads back at once', async () => {
    const { response, server } = await create(harness.alice, { metadata: { role: 'web' } });
    expect(Object.keys(server).sort()).toEqual(['OS-DCF:diskConfig', 'adminPass', 'id', 'links', 'security_groups']);
    expect(server).toMatchObject({ 'OS-DCF:diskConfig': 'MANUAL', security_groups: [{ name: 'default' }], adminPass: expect.stringMatching(/^\w{12}$/) });
    expect(response.headers.location).toMatch(new RegExp(`/compute/v2\\.1/servers/${server.id}$`));
    expect(server.links.map((link) => link.rel)).toEqual(['self', 'bookmark']);

    const requested = await recordedRequest(server.id);
    expect(requested.data).toMatchObject({
      instanceId: server.id,
      name: 'vm-1',
      projectId: harness.alice.projectId,
      flavor: { id: '1', name: 'm1.tiny', ramMb: 512, diskGb: 1 },
      image: { id: fixtures.image, diskFormat: 'raw', size: 4096, minDiskGb: 0, minRamMb: 0 },
      availabilityZone: null,
      forcedHost: null,
      groupId: null,
      metadata: { role: 'web' },
    });
    expect(requested.metadata.actor).toMatchObject({ projectId: harness.alice.projectId, roles: expect.arrayContaining(['member']) });

    const { temporal } = harness.api.context;
    const launch = await temporal.workflow.getHandle(`launch-${server.id}`).describe();
    expect(launch.type).toBe('launchInstance');
    expect(launch.taskQueue).toBe('control');
    expect(launch.searchAttributes).toMatchObject({ StrataInstanceId: [server.id], StrataProject: [harness.alice.projectId], StrataOperation: ['launch'] });

    const shown = await harness.compute(harness.alice, 'GET', `/servers/${server.id}`);
    expect(shown.statusCode).toBe(200);
    expect(shown.json()).toMatchObject({ server: { id: server.id, status: 'BUILD', 'OS-EXT-STS:vm_state': 'building', 'OS-EXT-STS:task_state': 'scheduling' } });
  });

  it('accepts networks "auto" and "none" from 2.37, a flavor URL, a given password and the admin’s forced host', async () => {
    const auto = await create(harness.alice, { networks: 'auto', adminPass: 'given-secret' }, { version: '2.37' });
    expect(auto.server.adminPass).toBe('given-secret');
    await create(harness.alice, { networks: 'none', flavorRef: 'http://elsewhere/compute/v2.1/flavors/2' }, { version: '2.79' });
    const forced = await create(harness.admin, { availability_zone: 'nova:host-7', imageRef: fixtures.image, networks: [] });
    expect((await recordedRequest(forced.server.id)).data).toMatchObject({ availabilityZone: 'nova', forcedHost: 'host-7' });
    const node = await create(harness.admin, { availability_zone: 'zone-b::host-8' });
    expect((await recordedRequest(node.server.id)).data).toMatchObject({ availabilityZone: 'zone-b', forcedHost: 'host-8' });
  });

  it('carries a server group hint into the request', async () => {
    const group = await serverGroup(harness.alice, 'alices-group');
    const { server } = await create(harness.alice, {}, { body: { 'os:scheduler_hints': { group } } });
    expect((await recordedRequest(server.id)).data.groupId).toBe(group);
  });

  it('creates a second server for a retried request: Nova has no idempotency key', async () => {
    const first = await create(harness.bob, { name: 'retried', imageRef: fixtures.othersPrivateImage });
    const second = await create(harness.bob, { name: 'retried', imageRef: fixtures.othersPrivateImage });
    expect(second.server.id).not.toBe(first.server.id);
  });

  it('needs a token', async () => {
    const response = await harness.api.app.inject({ method: 'POST', url: '/compute/v2.1/servers', payload: { server: {} } });
    expect(response.statusCode).toBe(401);
  });

  describe('refuses, in Nova’s dialect and without recording anything,', () => {
    it.each(BAD_CREATES.map((testCase) => [testCase.label, testCase] as const))('%s', async (_label, testCase) => {
      const before = await harness.eventCount();
      const body = testCase.body(fixtures);
      const session = testCase.caller === 'admin' ? harness.admin : harness.alice;
      const response = await harness.compute(session, 'POST', '/servers', {
        version: testCase.version,
        ...(typeof body === 'string' ? { rawJson: body } : { json: body }),
      });
      expect(response.statusCode, response.body).toBe(testCase.status);
      const fault = testCase.status === 400 ? 'badRequest' : 'forbidden';
      expect(response.json()).toEqual({ [fault]: { code: testCase.status, message: expect.stringContaining(testCase.message) } });
      expect(await harness.eventCount()).toBe(before);
    });
  });
});
