// The scheduling routes of the compute API in process (app.inject over real parts):
// os-hypervisors, os-availability-zone and os-server-groups, by microversion and caller.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handleCommand } from '../../application/handle-command.js';
import { recordHeartbeat, registerHost, setHostEnabled } from '../../application/hosts/host-commands.js';
import { hostDecider, hostStream } from '../../domain/compute/host.js';
import { hostQueries } from '../../projections/host-queries.js';
import { registration } from './support/hosts.js';
import { placeAll, requestInstances, testMetadata } from './support/cluster.js';
import type { SchedulingApi } from './support/compute-api.js';
import { openSchedulingApi } from './support/compute-api.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
let cloud: SchedulingApi;

async function settled(): Promise<void> {
  const { events, projections } = cloud.api.context;
  await projections.waitFor(await events.headPosition(), 5_000);
}

beforeAll(async () => {
  cloud = await openSchedulingApi();
  const { events } = cloud.api.context;
  await registerHost(events, registration('compute-a', { availabilityZone: 'zone-1', vcpus: 8, memoryMb: 16384, diskGb: 200, qemuVersion: 'QEMU emulator version 8.2.2 (Debian)' }), testMetadata());
  await recordHeartbeat(events, { host: 'compute-a', at: new Date().toISOString(), intervalSeconds: 60 }, testMetadata());
  await registerHost(events, registration('compute-b', { availabilityZone: 'zone-2' }), testMetadata());
  await setHostEnabled(events, 'compute-b', false, 'disk replacement', testMetadata());
  const claim = { kind: 'claim', instanceId: '00000000-0000-4000-8000-000000000001', resources: { vcpus: 2, ramMb: 4096, diskGb: 40 } } as const;
  await handleCommand(events, hostDecider, hostStream('compute-a'), claim, { metadata: testMetadata() });
  await settled();
});
afterAll(async () => cloud.close());

describe('os-hypervisors', () => {
  it('lists hosts with integer ids, up/down and enabled/disabled (2.1)', async () => {
    const response = await cloud.compute(cloud.admin, 'GET', '/os-hypervisors');
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      hypervisors: [
        { id: 1, hypervisor_hostname: 'compute-a', state: 'up', status: 'enabled' },
        { id: 2, hypervisor_hostname: 'compute-b', state: 'down', status: 'disabled' },
      ],
    });
  });

  it('details capacity and usage from the claims', async () => {
    const response = await cloud.compute(cloud.admin, 'GET', '/os-hypervisors/detail');
    const [a, b] = response.json<{ hypervisors: Array<Record<string, unknown>> }>().hypervisors;
    expect(a).toMatchObject({
      id: 1,
      hypervisor_hostname: 'compute-a',
      hypervisor_type: 'QEMU',
      hypervisor_version: 8002002,
      vcpus: 8,
      vcpus_used: 2,
      memory_mb: 16384,
      memory_mb_used: 4096,
      free_ram_mb: 12288,
      local_gb: 200,
      local_gb_used: 40,
      running_vms: 1,
      service: { host: 'compute-a', id: 1, disabled_reason: null },
    });
    expect(JSON.parse(a?.cpu_info as string)).toMatchObject({ arch: 'x86_64' });
    expect(b).toMatchObject({ state: 'down', status: 'disabled', running_vms: 0, service: { disabled_reason: 'disk replacement' } });
  });

  it('uses stable UUIDs from 2.53, with the hostname pattern instead of /search', async () => {
    const first = await cloud.compute(cloud.admin, 'GET', '/os-hypervisors', { version: '2.53' });
    const again = await cloud.compute(cloud.admin, 'GET', '/os-hypervisors', { version: '2.53' });
    const ids = first.json<{ hypervisors: Array<{ id: string }> }>().hypervisors.map((hypervisor) => hypervisor.id);
    expect(ids.every((id) => UUID.test(id))).toBe(true);
    expect(again.json()).toEqual(first.json());
    const shown = await cloud.compute(cloud.admin, 'GET', `/os-hypervisors/${ids[0]}`, { version: '2.53' });
    expect(shown.json()).toMatchObject({ hypervisor: { id: ids[0], hypervisor_hostname: 'compute-a', cpu_info: { arch: 'x86_64' } } });
    expect((await cloud.compute(cloud.admin, 'GET', '/os-hypervisors/1', { version: '2.53' })).statusCode).toBe(404);
    const matched = await cloud.compute(cloud.admin, 'GET', '/os-hypervisors?hypervisor_hostname_pattern=-b', { version: '2.53' });
    expect(matched.json<{ hypervisors: unknown[] }>().hypervisors).toEqual([expect.objectContaining({ hypervisor_hostname: 'compute-b' })]);
  });

  it('shows, searches (before 2.53) and answers uptime with 501 as a driver without it', async () => {
    expect((await cloud.compute(cloud.admin, 'GET', '/os-hypervisors/2')).json()).toMatchObject({ hypervisor: { hypervisor_hostname: 'compute-b' } });
    expect((await cloud.compute(cloud.admin, 'GET', '/os-hypervisors/9')).json()).toEqual({ itemNotFound: { code: 404, message: 'Hypervisor with ID 9 could not be found.' } });
    const search = await cloud.compute(cloud.admin, 'GET', '/os-hypervisors/pute-a/search');
    expect(search.json()).toEqual({ hypervisors: [{ id: 1, hypervisor_hostname: 'compute-a', state: 'up', status: 'enabled' }] });
    expect((await cloud.compute(cloud.admin, 'GET', '/os-hypervisors/nothing/search')).statusCode).toBe(404);
    const uptime = await cloud.compute(cloud.admin, 'GET', '/os-hypervisors/1/uptime');
    expect(uptime.statusCode).toBe(501);
    expect(uptime.json()).toEqual({ notImplemented: { code: 501, message: 'Virt driver does not implement host uptime.' } });
  });

  it('is for admins only', async () => {
    for (const path of ['/os-hypervisors', '/os-hypervisors/detail', '/os-hypervisors/1']) {
      const response = await cloud.compute(cloud.alice, 'GET', path);
      expect(response.statusCode).toBe(403);
      expect(response.json()).toHaveProperty('forbidden.code', 403);
    }
  });
});

describe('os-aggregates', () => {
  it('lists no aggregates (hosts are grouped by zone only), for admins only', async () => {
    const listed = await cloud.compute(cloud.admin, 'GET', '/os-aggregates');
    expect(listed.statusCode).toBe(200);
    expect(listed.json()).toEqual({ aggregates: [] });
    expect((await cloud.compute(cloud.alice, 'GET', '/os-aggregates')).statusCode).toBe(403);
  });
});

describe('os-availability-zone', () => {
  it('lists each zone, available while an enabled host is up; anyone may list', async () => {
    const response = await cloud.compute(cloud.alice, 'GET', '/os-availability-zone');
    expect(response.json()).toEqual({
      availabilityZoneInfo: [
        { zoneName: 'zone-1', zoneState: { available: true }, hosts: null },
        { zoneName: 'zone-2', zoneState: { available: false }, hosts: null },
      ],
    });
  });

  it('details the hosts and their compute service for admins only', async () => {
    const response = await cloud.compute(cloud.admin, 'GET', '/os-availability-zone/detail');
    const [zone1, zone2] = response.json<{ availabilityZoneInfo: unknown[] }>().availabilityZoneInfo;
    expect(zone1).toEqual({
      zoneName: 'zone-1',
      zoneState: { available: true },
      hosts: { 'compute-a': { 'nova-compute': { available: true, active: true, updated_at: expect.any(String) } } },
    });
    expect(zone2).toMatchObject({ hosts: { 'compute-b': { 'nova-compute': { available: false, active: false, updated_at: null } } } });
    expect((await cloud.compute(cloud.alice, 'GET', '/os-availability-zone/detail')).statusCode).toBe(403);
  });
});

describe('os-server-groups', () => {
  const create = (body: unknown, version?: string) => cloud.compute(cloud.alice, 'POST', '/os-server-groups', { json: body, ...(version ? { version } : {}) });

  it('creates with `policies` before 2.64 and `policy` + `rules` from 2.64', async () => {
    const legacy = await create({ server_group: { name: 'web', policies: ['anti-affinity'] } });
    expect(legacy.statusCode).toBe(200);
    expect(legacy.json()).toEqual({ server_group: { id: expect.stringMatching(UUID), name: 'web', policies: ['anti-affinity'], members: [], metadata: {} } });
    const current = await create({ server_group: { name: 'db', policy: 'anti-affinity', rules: { max_server_per_host: 2 } } }, '2.64');
    expect(current.json()).toEqual({
      server_group: { id: expect.stringMatching(UUID), name: 'db', policy: 'anti-affinity', rules: { max_server_per_host: 2 }, members: [], project_id: cloud.alice.projectId, user_id: expect.any(String) },
    });
    const soft = await create({ server_group: { name: 'soft', policies: ['soft-affinity'] } }, '2.15');
    expect(soft.json()).toMatchObject({ server_group: { policies: ['soft-affinity'], project_id: cloud.alice.projectId } });
  });

  it('refuses bodies the microversion does not define', async () => {
    for (const [body, version] of [
      [{ server_group: { name: 'x', policies: ['soft-affinity'] } }, '2.1'],
      [{ server_group: { name: 'x', policies: ['affinity', 'anti-affinity'] } }, '2.1'],
      [{ server_group: { name: 'x', policies: ['affinity'] } }, '2.64'],
      [{ server_group: { name: 'x', policy: 'affinity', rules: { max_server_per_host: 2 } } }, '2.64'],
      [{ server_group: { name: '', policy: 'affinity' } }, '2.64'],
      [{ server_group: { name: 'x', policy: 'affinity', extra: 1 } }, '2.64'],
    ] as const) {
      const response = await create(body, version);
      expect(response.statusCode, JSON.stringify(body)).toBe(400);
      expect(response.json()).toHaveProperty('badRequest.code', 400);
    }
  });

  it('lists a project’s own groups; all projects only for admins', async () => {
    const mine = await create({ server_group: { name: 'listed', policies: ['affinity'] } });
    const id = mine.json<{ server_group: { id: string } }>().server_group.id;
    const names = (response: { json: <T>() => T }) => response.json<{ server_groups: Array<{ id: string }> }>().server_groups.map((group) => group.id);
    expect(names(await cloud.compute(cloud.alice, 'GET', '/os-server-groups'))).toContain(id);
    expect(names(await cloud.compute(cloud.bob, 'GET', '/os-server-groups'))).not.toContain(id);
    expect(names(await cloud.compute(cloud.admin, 'GET', '/os-server-groups'))).not.toContain(id);
    expect(names(await cloud.compute(cloud.admin, 'GET', '/os-server-groups?all_projects=True'))).toContain(id);
    expect((await cloud.compute(cloud.alice, 'GET', '/os-server-groups?all_projects=True')).statusCode).toBe(403);
    const all = names(await cloud.compute(cloud.alice, 'GET', '/os-server-groups'));
    expect(names(await cloud.compute(cloud.alice, 'GET', '/os-server-groups?offset=1&limit=1'))).toEqual(all.slice(1, 2));
  });

  it('shows members as the scheduler places them; another project sees nothing; delete removes the group', async () => {
    const created = await create({ server_group: { name: 'placed', policies: ['anti-affinity'] } });
    const groupId = created.json<{ server_group: { id: string } }>().server_group.id;
    const { events } = cloud.api.context;
    const [request] = await requestInstances(events, 1, { groupId, projectId: cloud.alice.projectId });
    // The scheduler's view, here over the API's own read model.
    const hosts = async () => {
      await settled();
      return hostQueries(cloud.api.context.readModel).all();
    };
    const [placed] = await placeAll({ events, hosts, close: async () => undefined }, [request!]);
    expect(placed?.host).toBe('compute-a');
    await settled();

    const shown = await cloud.compute(cloud.alice, 'GET', `/os-server-groups/${groupId}`);
    expect(shown.json()).toMatchObject({ server_group: { id: groupId, members: [request!.instanceId] } });
    expect((await cloud.compute(cloud.bob, 'GET', `/os-server-groups/${groupId}`)).statusCode).toBe(404);
    expect((await cloud.compute(cloud.alice, 'GET', '/os-server-groups/placed')).json()).toEqual({ itemNotFound: { code: 404, message: 'Server group placed could not be found.' } });
    expect((await cloud.compute(cloud.bob, 'DELETE', `/os-server-groups/${groupId}`)).statusCode).toBe(404);
    expect((await cloud.compute(cloud.alice, 'DELETE', `/os-server-groups/${groupId}`)).statusCode).toBe(204);
    expect((await cloud.compute(cloud.alice, 'GET', `/os-server-groups/${groupId}`)).statusCode).toBe(404);
  });
});

describe('os-services', () => {
  const serviceOf = async (host: string, version?: string) => {
    const response = await cloud.compute(cloud.admin, 'GET', `/os-services?host=${host}`, version ? { version } : {});
    return response.json<{ services: Array<Record<string, unknown>> }>().services[0];
  };

  it('lists one nova-compute service per host, filtered by host and binary', async () => {
    const response = await cloud.compute(cloud.admin, 'GET', '/os-services');
    expect(response.json<{ services: unknown[] }>().services).toEqual([
      { id: 1, binary: 'nova-compute', host: 'compute-a', zone: 'zone-1', status: 'enabled', state: 'up', updated_at: expect.any(String), disabled_reason: null },
      { id: 2, binary: 'nova-compute', host: 'compute-b', zone: 'zone-2', status: 'disabled', state: 'down', updated_at: null, disabled_reason: 'disk replacement' },
    ]);
    expect(await serviceOf('compute-b', '2.53')).toMatchObject({ id: expect.stringMatching(UUID), forced_down: false });
    expect((await cloud.compute(cloud.admin, 'GET', '/os-services?binary=nova-scheduler')).json()).toEqual({ services: [] });
  });

  it('disables a host by service UUID (2.53): the scheduler and the hypervisor view see it; enabling clears the reason', async () => {
    const { id } = (await serviceOf('compute-a', '2.53'))!;
    const disabled = await cloud.compute(cloud.admin, 'PUT', `/os-services/${String(id)}`, { version: '2.53', json: { status: 'disabled', disabled_reason: 'kernel update' } });
    expect(disabled.json()).toMatchObject({ service: { id, host: 'compute-a', status: 'disabled', disabled_reason: 'kernel update' } });
    expect(hostQueries(cloud.api.context.readModel).all()[0]?.state).toMatchObject({ enabled: false, disabledReason: 'kernel update' });
    expect((await cloud.compute(cloud.admin, 'GET', '/os-hypervisors')).json()).toMatchObject({ hypervisors: [{ hypervisor_hostname: 'compute-a', status: 'disabled' }, {}] });

    const enabled = await cloud.compute(cloud.admin, 'PUT', `/os-services/${String(id)}`, { version: '2.53', json: { status: 'enabled' } });
    expect(enabled.json()).toMatchObject({ service: { status: 'enabled', disabled_reason: null } });
  });

  it('before 2.53, disables and enables by host and binary through the action paths', async () => {
    const disable = await cloud.compute(cloud.admin, 'PUT', '/os-services/disable-log-reason', { json: { host: 'compute-a', binary: 'nova-compute', disabled_reason: 'maintenance' } });
    expect(disable.json()).toEqual({ service: { host: 'compute-a', binary: 'nova-compute', status: 'disabled', disabled_reason: 'maintenance' } });
    expect(await serviceOf('compute-a')).toMatchObject({ status: 'disabled', disabled_reason: 'maintenance' });
    const enable = await cloud.compute(cloud.admin, 'PUT', '/os-services/enable', { json: { host: 'compute-a', binary: 'nova-compute' } });
    expect(enable.json()).toEqual({ service: { host: 'compute-a', binary: 'nova-compute', status: 'enabled' } });
    expect(await serviceOf('compute-a')).toMatchObject({ status: 'enabled', disabled_reason: null });
  });

  it('refuses what Nova refuses, and members', async () => {
    const { id } = (await serviceOf('compute-a', '2.53'))!;
    const put = (path: string, json: unknown, version = '2.53') => cloud.compute(cloud.admin, 'PUT', path, { version, json });
    expect((await put(`/os-services/${String(id)}`, { status: 'enabled', disabled_reason: 'x' })).statusCode).toBe(400);
    expect((await put(`/os-services/${String(id)}`, {})).statusCode).toBe(400);
    expect((await put(`/os-services/${String(id)}`, { forced_down: true })).statusCode).toBe(400);
    expect((await put('/os-services/00000000-0000-4000-8000-000000000000', { status: 'disabled' })).statusCode).toBe(404);
    expect((await put('/os-services/disable', { host: 'nowhere', binary: 'nova-compute' }, '2.1')).statusCode).toBe(404);
    expect((await put('/os-services/disable', { host: 'compute-a', binary: 'nova-compute' })).statusCode).toBe(404);
    expect((await cloud.compute(cloud.alice, 'GET', '/os-services')).statusCode).toBe(403);
    expect((await cloud.compute(cloud.alice, 'PUT', '/os-services/disable', { json: { host: 'compute-a', binary: 'nova-compute' } })).statusCode).toBe(403);
    expect(await serviceOf('compute-a')).toMatchObject({ status: 'enabled' });
  });
});
