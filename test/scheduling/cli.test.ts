// The real `openstack` CLI against the scheduling routes of an in-process API listening
// on loopback: hypervisor list, availability zone list, compute service list/set, server
// group create/list/show/delete.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordHeartbeat, registerHost } from '../../application/hosts/host-commands.js';
import { TEST_ADMIN_PASSWORD } from '../support/api-harness.js';
import { openstack, openstackJson } from '../support/openstack.js';
import { freePort } from '../support/ports.js';
import { testMetadata } from './support/cluster.js';
import type { SchedulingApi } from './support/compute-api.js';
import { openSchedulingApi } from './support/compute-api.js';
import { registration } from './support/hosts.js';

let cloud: SchedulingApi;
let adminEnv: Record<string, string>;
let aliceEnv: Record<string, string>;

beforeAll(async () => {
  const port = await freePort();
  cloud = await openSchedulingApi(port);
  const { events, projections } = cloud.api.context;
  await registerHost(events, registration('cli-host-1', { availabilityZone: 'zone-a' }), testMetadata());
  await recordHeartbeat(events, { host: 'cli-host-1', at: new Date().toISOString(), intervalSeconds: 60 }, testMetadata());
  await registerHost(events, registration('cli-host-2', { availabilityZone: 'zone-b' }), testMetadata());
  await projections.waitFor(await events.headPosition(), 5_000);
  adminEnv = {
    OS_AUTH_URL: `http://127.0.0.1:${port}/identity/v3`,
    OS_USERNAME: 'admin',
    OS_PASSWORD: TEST_ADMIN_PASSWORD,
    OS_PROJECT_NAME: 'admin',
    OS_USER_DOMAIN_NAME: 'Default',
    OS_PROJECT_DOMAIN_NAME: 'Default',
    OS_IDENTITY_API_VERSION: '3',
  };
  aliceEnv = { ...adminEnv, OS_USERNAME: 'alice', OS_PASSWORD: 'alice-password', OS_PROJECT_NAME: 'project-a' };
});
afterAll(async () => cloud.close());

describe('openstack CLI: hypervisors, zones, server groups', { timeout: 120_000 }, () => {
  it('hypervisor list shows each host, its type and state', async () => {
    const rows = await openstackJson<Array<Record<string, unknown>>>(adminEnv, ['hypervisor', 'list', '--long']);
    expect(rows).toEqual([
      expect.objectContaining({ ID: 1, 'Hypervisor Hostname': 'cli-host-1', 'Hypervisor Type': 'QEMU', State: 'up', 'vCPUs Used': 0, vCPUs: 4, 'Memory MB': 8192 }),
      expect.objectContaining({ ID: 2, 'Hypervisor Hostname': 'cli-host-2', State: 'down' }),
    ]);
    const matching = await openstackJson<Array<Record<string, unknown>>>(adminEnv, ['hypervisor', 'list', '--matching', 'host-2']);
    expect(matching.map((row) => row['Hypervisor Hostname'])).toEqual(['cli-host-2']);
  });

  it('availability zone list shows the zones, with hosts for the admin', async () => {
    const zones = await openstackJson<Array<Record<string, string>>>(aliceEnv, ['availability', 'zone', 'list', '--compute']);
    expect(zones).toEqual([
      { 'Zone Name': 'zone-a', 'Zone Status': 'available' },
      { 'Zone Name': 'zone-b', 'Zone Status': 'not available' },
    ]);
    const long = await openstackJson<Array<Record<string, string>>>(adminEnv, ['availability', 'zone', 'list', '--compute', '--long']);
    expect(long).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ 'Zone Name': 'zone-a', 'Host Name': 'cli-host-1', 'Service Name': 'nova-compute', 'Service Status': expect.stringMatching(/^enabled :-\) /) }),
        expect.objectContaining({ 'Zone Name': 'zone-b', 'Host Name': 'cli-host-2', 'Service Status': expect.stringMatching(/^enabled XXX /) }),
      ]),
    );
  });

  it('compute service list and set --disable/--enable take a host out of scheduling and back', async () => {
    const services = await openstackJson<Array<Record<string, unknown>>>(adminEnv, ['compute', 'service', 'list']);
    expect(services).toEqual([
      expect.objectContaining({ Binary: 'nova-compute', Host: 'cli-host-1', Zone: 'zone-a', Status: 'enabled', State: 'up' }),
      expect.objectContaining({ Binary: 'nova-compute', Host: 'cli-host-2', Zone: 'zone-b', Status: 'enabled', State: 'down' }),
    ]);
    const disable = await openstack(adminEnv, ['compute', 'service', 'set', '--disable', '--disable-reason', 'maintenance', 'cli-host-1', 'nova-compute']);
    expect(disable.exitCode, disable.stderr).toBe(0);
    const long = await openstackJson<Array<Record<string, unknown>>>(adminEnv, ['compute', 'service', 'list', '--long', '--host', 'cli-host-1']);
    expect(long).toEqual([expect.objectContaining({ Status: 'disabled', 'Disabled Reason': 'maintenance' })]);
    expect((await openstack(adminEnv, ['compute', 'service', 'set', '--enable', 'cli-host-1', 'nova-compute'])).exitCode).toBe(0);
    expect(await openstackJson(adminEnv, ['compute', 'service', 'list', '--host', 'cli-host-1'])).toEqual([expect.objectContaining({ Status: 'enabled' })]);
  });

  it('server group create (policy and rules, as the SDK negotiates 2.64), list, show and delete by name', async () => {
    const created = await openstackJson<Record<string, unknown>>(aliceEnv, ['server', 'group', 'create', '--policy', 'anti-affinity', '--rule', 'max_server_per_host=2', 'web']);
    expect(created).toEqual({ id: expect.any(String), name: 'web', policy: 'anti-affinity', rules: { max_server_per_host: 2 }, members: [], project_id: cloud.alice.projectId, user_id: expect.any(String) });
    const listed = await openstackJson<Array<Record<string, unknown>>>(aliceEnv, ['server', 'group', 'list', '--long']);
    expect(listed).toEqual([expect.objectContaining({ ID: created.id, Name: 'web', Policy: 'anti-affinity', 'Project Id': cloud.alice.projectId })]);
    expect(await openstackJson(aliceEnv, ['server', 'group', 'show', 'web'])).toMatchObject({ id: created.id, name: 'web', policy: 'anti-affinity' });
    expect(await openstackJson(adminEnv, ['server', 'group', 'list', '--all-projects'])).toEqual([expect.objectContaining({ ID: created.id })]);

    expect((await openstack(aliceEnv, ['server', 'group', 'delete', 'web'])).exitCode).toBe(0);
    // This client fails on a missing group with its own AttributeError (as against Nova): the exit code is what counts.
    expect((await openstack(aliceEnv, ['server', 'group', 'show', 'web'])).exitCode).not.toBe(0);
    expect(await openstackJson(aliceEnv, ['server', 'group', 'list'])).toEqual([]);
  });

  it('server group create with `policies` at microversion 2.1', async () => {
    const legacy = ['--os-compute-api-version', '2.1'];
    const created = await openstackJson<Record<string, unknown>>(aliceEnv, [...legacy, 'server', 'group', 'create', '--policy', 'affinity', 'old-style']);
    expect(created).toMatchObject({ name: 'old-style', policies: ['affinity'], members: [] });
    expect((await openstack(aliceEnv, [...legacy, 'server', 'group', 'delete', 'old-style'])).exitCode).toBe(0);
  });
});
