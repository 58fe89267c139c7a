// The real `openstack` CLI against `strata up`: flavors, then a server booted from the
// BIOS test guest — created, listed and shown while it builds, its launch workflow found
// in Temporal, then waited for until ACTIVE and its console read for the boot marker.
import { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openstack, openstackJson } from '../support/openstack.js';
import { freePort } from '../support/ports.js';
import { startStrataWithGuest } from '../support/guest-strata.js';
import { stopServerVms } from '../support/server-vms.js';
import type { RunningStrata } from '../support/strata-up.js';

type Row = Record<string, unknown>;

let strata: RunningStrata;
let admin: Record<string, string>;
let temporal: Connection;
let imageId: string;
/** Servers this file started: their QEMU outlives `strata up`, so the file stops them itself. */
const serverIds: string[] = [];

beforeAll(async () => {
  const temporalPort = await freePort();
  const started = await startStrataWithGuest({ STRATA_TEMPORAL_DEV_SERVER_PORT: String(temporalPort) });
  strata = started.strata;
  admin = strata.adminEnv;
  imageId = started.image.id as string;
  temporal = await Connection.connect({ address: `127.0.0.1:${temporalPort}` });
}, 300_000);
afterAll(async () => {
  await temporal?.close();
  if (strata) await stopServerVms(strata.dataDir, serverIds);
  await strata?.stop();
});

describe('openstack flavor commands against strata up', { timeout: 120_000 }, () => {
  it('lists and shows the default flavors', async () => {
    const flavors = await openstackJson<Row[]>(admin, ['flavor', 'list']);
    expect(flavors.map((row) => [row.ID, row.Name, row.RAM, row.Disk, row.VCPUs])).toEqual([
      ['1', 'm1.tiny', 512, 1, 1],
      ['2', 'm1.small', 2048, 20, 1],
      ['3', 'm1.medium', 4096, 40, 2],
      ['4', 'm1.large', 8192, 80, 4],
      ['5', 'm1.xlarge', 16384, 160, 8],
    ]);
    const tiny = await openstackJson(admin, ['flavor', 'show', 'm1.tiny']);
    expect(tiny).toMatchObject({ id: '1', name: 'm1.tiny', ram: 512, disk: 1, vcpus: 1, 'os-flavor-access:is_public': true, 'OS-FLV-EXT-DATA:ephemeral': 0 });
  });

  it('creates, shows and deletes a flavor', async () => {
    const created = await openstackJson(admin, ['flavor', 'create', '--ram', '256', '--disk', '2', '--vcpus', '2', '--ephemeral', '1', '--id', 'e2e-1', 'e2e.flavor']);
    expect(created).toMatchObject({ id: 'e2e-1', name: 'e2e.flavor', ram: 256, disk: 2, vcpus: 2, 'OS-FLV-EXT-DATA:ephemeral': 1 });
    const privateFlavor = await openstack(admin, ['flavor', 'create', '--ram', '256', '--disk', '1', '--private', 'e2e.private', '-f', 'json']);
    expect(privateFlavor.exitCode, privateFlavor.stderr).toBe(0);
    const shown = await openstack(admin, ['flavor', 'show', 'e2e.private', '-f', 'json']);
    // The access list of a private flavor is empty, not an error the CLI reports.
    expect(shown.stderr).toBe('');
    expect(JSON.parse(shown.stdout)).toMatchObject({ 'os-flavor-access:is_public': false, access_project_ids: [] });
    expect((await openstack(admin, ['flavor', 'delete', 'e2e.flavor'])).exitCode).toBe(0);
    expect((await openstack(admin, ['flavor', 'show', 'e2e.flavor'])).exitCode).not.toBe(0);
  });
});

describe('openstack server commands against strata up', { timeout: 300_000 }, () => {
  it('creates a server that lists and shows while its launch workflow runs in Temporal', async () => {
    const created = await openstackJson(admin, ['server', 'create', '--image', imageId, '--flavor', 'm1.tiny', 'e2e-building']);
    expect(created).toMatchObject({ name: 'e2e-building', flavor: 'm1.tiny (1)', image: `bios-guest (${imageId})`, 'OS-DCF:diskConfig': 'MANUAL' });
    expect(['BUILD', 'ACTIVE']).toContain(created.status);
    const serverId = created.id as string;
    serverIds.push(serverId);

    const description = await new Client({ connection: temporal }).workflow.getHandle(`launch-${serverId}`).describe();
    expect(description.type).toBe('launchInstance');

    const listed = await openstackJson<Row[]>(admin, ['server', 'list']);
    expect(listed).toContainEqual(expect.objectContaining({ ID: serverId, Name: 'e2e-building', Image: 'bios-guest', Flavor: 'm1.tiny' }));
    const shown = await openstackJson(admin, ['server', 'show', 'e2e-building']);
    expect(shown).toMatchObject({ id: serverId, project_id: expect.any(String), 'OS-EXT-STS:vm_state': expect.stringMatching(/^(building|active|error)$/), volumes_attached: [] });
  });

  it('boots to ACTIVE with --wait, and the console shows the guest booting', async () => {
    const server = await openstackJson(admin, ['server', 'create', '--image', 'bios-guest', '--flavor', 'm1.tiny', '--wait', 'e2e-active']);
    serverIds.push(server.id as string);
    expect(server).toMatchObject({ status: 'ACTIVE', 'OS-EXT-STS:vm_state': 'active', 'OS-EXT-STS:power_state': 1, 'OS-EXT-SRV-ATTR:host': 'test-host' });
    expect(server['OS-SRV-USG:launched_at']).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}$/);
    const console = await openstack(admin, ['console', 'log', 'show', 'e2e-active']);
    expect(console.exitCode, console.stderr).toBe(0);
    expect(console.stdout).toContain('STRATA-GUEST-BOOT');
    // The guest's report ends with its done marker: the last lines hold it, not the boot marker.
    const tail = await openstack(admin, ['console', 'log', 'show', '--lines', '3', 'e2e-active']);
    expect(tail.stdout).toContain('STRATA-GUEST-DONE');
    expect(tail.stdout).not.toContain('STRATA-GUEST-BOOT');
  });
});
