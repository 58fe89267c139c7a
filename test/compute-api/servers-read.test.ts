// The instances read model through GET /servers{,/detail,/{id}}: the fields Nova shows
// for each state and microversion, who sees what, the list's filters and paging, and a
// rebuild that reproduces the live rows. Launch steps are recorded as the launch
// activities record them (the instance decider on the instance's stream).
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handleCommand } from '../../application/handle-command.js';
import { setHostEnabled } from '../../application/hosts/host-commands.js';
import { requestMetadata } from '../../application/metadata.js';
import type { InstanceEvent } from '../../domain/compute/instance.js';
import { instanceDecider, instanceStream } from '../../domain/compute/instance.js';
import { flavorsProjection } from '../../projections/flavors.js';
import { instancesProjection } from '../../projections/instances.js';
import { rebuildProjection } from '../../projections/rebuild.js';
import { addHost } from '../scheduling/support/cluster.js';
import { openComputeHarness, type ComputeHarness, type Session } from './compute-harness.js';

type Server = Record<string, unknown> & { id: string; name: string };
type Step = Exclude<InstanceEvent, { type: 'InstanceRequested.v1' }>;

let harness: ComputeHarness;
let image: string;
const ids: Record<'building' | 'active' | 'failed' | 'bobs', string> = { building: '', active: '', failed: '', bobs: '' };

async function createServer(session: Session, name: string, flavorRef = '1', imageRef = image): Promise<string> {
  const response = await harness.compute(session, 'POST', '/servers', { json: { server: { name, imageRef, flavorRef } } });
  if (response.statusCode !== 202) throw new Error(`create ${name}: ${response.body}`);
  return response.json<{ server: { id: string } }>().server.id;
}

async function record(instanceId: string, ...steps: Step[]): Promise<void> {
  const { events, projections } = harness.api.context;
  for (const event of steps) {
    const { position } = await handleCommand(events, instanceDecider, instanceStream(instanceId), { kind: 'record', event }, { metadata: requestMetadata(null, 'test-launch') });
    await projections.waitFor(position, 5_000);
  }
}

async function show(session: Session, id: string, version?: string): Promise<Server> {
  const response = await harness.compute(session, 'GET', `/servers/${id}`, { version });
  expect(response.statusCode, response.body).toBe(200);
  return response.json<{ server: Server }>().server;
}

async function listIds(session: Session, query: string, version?: string): Promise<string[]> {
  const response = await harness.compute(session, 'GET', `/servers${query}`, { version });
  expect(response.statusCode, response.body).toBe(200);
  return response.json<{ servers: Server[] }>().servers.map((server) => server.id);
}

const LAUNCHED_AT = '2025-03-04T05:06:07.890Z';

beforeAll(async () => {
  harness = await openComputeHarness();
  image = await harness.activeImage(harness.admin, { visibility: 'public' });
  await addHost(harness.api.context.events, 'host-a', { availabilityZone: 'zone-1' });
  ids.building = await createServer(harness.alice, 'web-building');
  ids.active = await createServer(harness.alice, 'web-active', '2');
  ids.failed = await createServer(harness.alice, 'db-failed');
  ids.bobs = await createServer(harness.bob, 'bobs-server');
  await record(
    ids.active,
    { type: 'InstanceScheduled.v1', data: { host: 'host-a', availabilityZone: 'zone-1', attempt: 1 } },
    { type: 'InstanceSpawning.v1', data: { host: 'host-a' } },
    { type: 'VmStarted.v1', data: { pid: 4242 } },
    { type: 'InstanceBooted.v1', data: { launchedAt: LAUNCHED_AT } },
  );
  await record(ids.failed, {
    type: 'InstanceLaunchFailed.v1',
    data: { code: 500, message: 'No valid host was found.', step: 'schedule', host: null, attempt: 1, created: '2025-03-04T05:00:00.000Z' },
  });
}, 120_000);
afterAll(async () => {
  await harness.close();
});

describe('GET /servers/{id}', () => {
  it('shows a building server with every field Nova shows at 2.1 to a member', async () => {
    const server = await show(harness.alice, ids.building);
    expect(server).toEqual({
      id: ids.building,
      name: 'web-building',
      links: [
        { rel: 'self', href: expect.stringMatching(new RegExp(`/compute/v2\\.1/servers/${ids.building}$`)) },
        { rel: 'bookmark', href: expect.stringMatching(new RegExp(`/compute/servers/${ids.building}$`)) },
      ],
      status: 'BUILD',
      tenant_id: harness.alice.projectId,
      user_id: expect.any(String),
      metadata: {},
      hostId: '',
      image: { id: image, links: [{ rel: 'bookmark', href: expect.stringMatching(new RegExp(`/compute/images/${image}$`)) }] },
      flavor: { id: '1', links: [{ rel: 'bookmark', href: expect.stringMatching(/\/compute\/flavors\/1$/) }] },
      created: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
      updated: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
      addresses: {},
      accessIPv4: '',
      accessIPv6: '',
      progress: 0,
      'OS-DCF:diskConfig': 'MANUAL',
      'OS-EXT-AZ:availability_zone': '',
      config_drive: '',
      key_name: null,
      'OS-SRV-USG:launched_at': null,
      'OS-SRV-USG:terminated_at': null,
      'OS-EXT-STS:task_state': 'scheduling',
      'OS-EXT-STS:vm_state': 'building',
      'OS-EXT-STS:power_state': 0,
      'os-extended-volumes:volumes_attached': [],
      security_groups: [{ name: 'default' }],
    });
  });

  it('shows an active server: host-derived hostId, zone, launch time, power state', async () => {
    const server = await show(harness.alice, ids.active);
    expect(server).toMatchObject({
      status: 'ACTIVE',
      'OS-EXT-STS:vm_state': 'active',
      'OS-EXT-STS:task_state': null,
      'OS-EXT-STS:power_state': 1,
      'OS-EXT-AZ:availability_zone': 'zone-1',
      'OS-SRV-USG:launched_at': '2025-03-04T05:06:07.890000',
      hostId: createHash('sha224').update(`${harness.alice.projectId}host-a`).digest('hex'),
      flavor: { id: '2', links: expect.any(Array) },
    });
    expect(server).not.toHaveProperty('OS-EXT-SRV-ATTR:host');
  });

  it('shows the admin the extended server attributes, more of them from 2.3', async () => {
    const old = await show(harness.admin, ids.active);
    expect(old).toMatchObject({ 'OS-EXT-SRV-ATTR:host': 'host-a', 'OS-EXT-SRV-ATTR:hypervisor_hostname': 'host-a', 'OS-EXT-SRV-ATTR:instance_name': `instance-${ids.active}` });
    expect(old).not.toHaveProperty('OS-EXT-SRV-ATTR:hostname');
    expect(await show(harness.admin, ids.active, '2.3')).toMatchObject({ 'OS-EXT-SRV-ATTR:hostname': 'web-active', 'OS-EXT-SRV-ATTR:root_device_name': '/dev/vda', 'OS-EXT-SRV-ATTR:launch_index': 0 });
  });

  it('embeds the flavor from 2.47 and adds the later fields up to 2.73', async () => {
    expect((await show(harness.alice, ids.active, '2.46')).flavor).toEqual({ id: '2', links: expect.any(Array) });
    const server = await show(harness.alice, ids.active, '2.73');
    expect(server.flavor).toEqual({ vcpus: 1, ram: 2048, disk: 20, ephemeral: 0, swap: 0, original_name: 'm1.small', extra_specs: {} });
    expect(server).toMatchObject({ locked: false, locked_reason: null, description: null, tags: [], trusted_image_certificates: null, server_groups: [] });
    expect(server).not.toHaveProperty('host_status');
  });

  it("shows the admin the host's status from 2.16: UP by heartbeat, MAINTENANCE when disabled, '' without a host", async () => {
    expect(await show(harness.admin, ids.active, '2.15')).not.toHaveProperty('host_status');
    expect(await show(harness.admin, ids.active, '2.16')).toMatchObject({ host_status: 'UP' });
    expect(await show(harness.admin, ids.building, '2.16')).toMatchObject({ host_status: '' });
    const { events, projections } = harness.api.context;
    await projections.waitFor(await setHostEnabled(events, 'host-a', false, 'maintenance window', requestMetadata(null, 'test')), 5_000);
    expect(await show(harness.admin, ids.active, '2.16')).toMatchObject({ host_status: 'MAINTENANCE' });
    await projections.waitFor(await setHostEnabled(events, 'host-a', true, null, requestMetadata(null, 'test')), 5_000);
  });

  it("shows a failed server's fault; its details (step, host, attempt) only to the admin", async () => {
    const member = await show(harness.alice, ids.failed);
    expect(member).toMatchObject({ status: 'ERROR', 'OS-EXT-STS:vm_state': 'error', 'OS-EXT-STS:task_state': null });
    expect(member.fault).toEqual({ code: 500, created: '2025-03-04T05:00:00Z', message: 'No valid host was found.' });
    expect(member).not.toHaveProperty('progress');
    expect((await show(harness.admin, ids.failed)).fault).toMatchObject({ details: 'launch step schedule failed (attempt 1)' });
  });

  it("answers 404 for another project's server and for an unknown id", async () => {
    for (const [session, id] of [
      [harness.bob, ids.building],
      [harness.alice, ids.bobs],
      [harness.alice, 'not-a-server'],
    ] as const) {
      const response = await harness.compute(session, 'GET', `/servers/${id}`);
      expect(response.statusCode).toBe(404);
      expect(response.json()).toEqual({ itemNotFound: { code: 404, message: `Instance ${id} could not be found.` } });
    }
    expect((await show(harness.admin, ids.bobs)).tenant_id).toBe(harness.bob.projectId);
  });
});

describe('GET /servers and /servers/detail', () => {
  it("lists the caller's own project, newest first, as {id, name, links}", async () => {
    const response = await harness.compute(harness.alice, 'GET', '/servers');
    const { servers } = response.json<{ servers: Server[] }>();
    expect(servers.map((server) => server.id)).toEqual([ids.failed, ids.active, ids.building]);
    expect(servers[0]).toEqual({ id: ids.failed, name: 'db-failed', links: expect.any(Array) });
    expect(await listIds(harness.bob, '')).toEqual([ids.bobs]);
    expect(await listIds(harness.admin, '')).toEqual([]);
  });

  it('details each server as show does, by microversion', async () => {
    const response = await harness.compute(harness.alice, 'GET', '/servers/detail', { version: '2.47' });
    const { servers } = response.json<{ servers: Server[] }>();
    expect(servers.map((server) => server.status)).toEqual(['ERROR', 'ACTIVE', 'BUILD']);
    expect(servers[1]?.flavor).toMatchObject({ original_name: 'm1.small' });
  });

  it.each([
    ['?name=^web', ['active', 'building']],
    ['?name=failed$', ['failed']],
    ['?name=ng$', ['building']],
    ['?status=ACTIVE', ['active']],
    ['?status=error', ['failed']],
    ['?status=BUILD&status=ERROR', ['failed', 'building']],
    ['?status=PAUSED', []],
    ['?status=NOT-A-STATUS', []],
    ['?flavor=2', ['active']],
    ['?host=host-a', ['failed', 'active', 'building']],
    ['?all_tenants=0', ['failed', 'active', 'building']],
    ['?changes-since=2999-01-01T00:00:00Z', []],
    ['?limit=1', ['failed']],
  ])('filters %s (a member’s host filter is ignored)', async (query, expected) => {
    expect(await listIds(harness.alice, query)).toEqual(expected.map((key) => ids[key as keyof typeof ids]));
  });

  it('filters by image and pages with limit, marker and a next link', async () => {
    expect(await listIds(harness.alice, `?image=${image}&limit=2&marker=${ids.failed}`)).toEqual([ids.active, ids.building]);
    const response = await harness.compute(harness.alice, 'GET', '/servers/detail?limit=2');
    const body = response.json<{ servers: Server[]; servers_links: Array<{ rel: string; href: string }> }>();
    expect(body.servers).toHaveLength(2);
    const next = new URL(body.servers_links[0]?.href ?? '');
    expect(next.pathname).toBe('/compute/v2.1/servers/detail');
    expect(Object.fromEntries(next.searchParams)).toEqual({ limit: '2', marker: ids.active });
    expect(await listIds(harness.alice, `${next.search}`)).toEqual([ids.building]);
  });

  it('lists every project for an admin with all_tenants, and one project with project_id', async () => {
    expect(await listIds(harness.admin, '?all_tenants')).toEqual([ids.bobs, ids.failed, ids.active, ids.building]);
    expect(await listIds(harness.admin, `?all_tenants=1&project_id=${harness.bob.projectId}`)).toEqual([ids.bobs]);
    expect(await listIds(harness.admin, '?all_tenants=true&host=host-a')).toEqual([ids.active]);
  });

  it('refuses all_tenants to members (403), bad values and markers (400)', async () => {
    for (const [path, status, message] of [
      ['/servers?all_tenants=1', 403, "Policy doesn't allow os_compute_api:servers:index:get_all_tenants to be performed."],
      ['/servers/detail?all_tenants', 403, "Policy doesn't allow os_compute_api:servers:detail:get_all_tenants to be performed."],
      ['/servers?all_tenants=perhaps', 400, "Invalid all_tenants value 'perhaps'"],
      [`/servers?marker=${ids.bobs}`, 400, `marker [${ids.bobs}] not found`],
      ['/servers?limit=-2', 400, 'limit param must be positive'],
      ['/servers?name=(', 400, 'Invalid regular expression'],
      ['/servers?changes-since=yesterday', 400, 'Invalid changes-since value'],
    ] as const) {
      const response = await harness.compute(harness.alice, 'GET', path);
      expect(response.statusCode, path).toBe(status);
      expect(response.json(), path).toEqual({ [status === 403 ? 'forbidden' : 'badRequest']: { code: status, message: expect.stringContaining(message) } });
    }
    const modern = await harness.compute(harness.alice, 'GET', '/servers?status=NOT-A-STATUS', { version: '2.38' });
    expect(modern.statusCode).toBe(400);
  });
});

describe('rebuilding the read models', () => {
  it('reproduces the live instance and flavor rows exactly', async () => {
    const { readModel, events } = harness.api.context;
    for (const [projection, table] of [
      [instancesProjection, 'instances'],
      [flavorsProjection, 'flavors'],
    ] as const) {
      const live = readModel.prepare(`SELECT * FROM ${table} ORDER BY id`).all();
      expect(live.length).toBeGreaterThan(0);
      await rebuildProjection(readModel, events, projection);
      expect(readModel.prepare(`SELECT * FROM ${table} ORDER BY id`).all()).toEqual(live);
    }
  });
});
