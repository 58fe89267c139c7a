// The real `openstack` CLI against `strata up`: a server booted to ACTIVE from the BIOS
// test guest is deleted with `openstack server delete --wait`; it leaves the list, `show`
// no longer finds it, and neither its QEMU nor its instance directory is left. With an
// ephemeral disk the guest wrote its mark into: the disk is gone and, seen through a hard
// link the test took before the delete, its blocks were zeroed before the unlink; the
// host's free capacity is what it was before the launch; the image and its cached base
// are unchanged; the instance's stream tells the whole sequence.
import { createHash } from 'node:crypto';
import { link, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hostLayout } from '../../activities/launch/host-layout.js';
import { guestImages } from '../hypervisor/guest-lab.js';
import { openstack, openstackJson } from '../support/openstack.js';
import { freePort } from '../support/ports.js';
import { startStrataWithGuest } from '../support/guest-strata.js';
import { stopServerVms } from '../support/server-vms.js';
import type { RunningStrata } from '../support/strata-up.js';
import { adminClient, hypervisors } from '../launch-e2e/compute-client.js';
import { hashFile, instanceEvents } from '../launch-e2e/launch-lab.js';
import { processesOf } from './instance-processes.js';

let strata: RunningStrata;
let admin: Record<string, string>;
const layout = () => hostLayout(join(strata.dataDir, 'hosts', 'test-host'));
/** Servers this file started, stopped after the run should a delete have failed. */
const serverIds: string[] = [];

beforeAll(async () => {
  ({ strata } = await startStrataWithGuest({ STRATA_TEMPORAL_DEV_SERVER_PORT: String(await freePort()), STRATA_COMPUTE_EPHEMERAL_CLEAR: 'zero' }));
  admin = strata.adminEnv;
}, 300_000);
afterAll(async () => {
  if (strata) await stopServerVms(strata.dataDir, serverIds);
  await strata?.stop();
});

describe('openstack server delete against strata up', () => {
  it('deletes an ACTIVE server with --wait: gone from the list, not found, no QEMU left', { timeout: 300_000 }, async () => {
    const server = await openstackJson(admin, ['server', 'create', '--image', 'bios-guest', '--flavor', 'm1.tiny', '--wait', 'e2e-delete']);
    const serverId = server.id as string;
    serverIds.push(serverId);
    expect(server.status).toBe('ACTIVE');
    expect(await processesOf(serverId)).toHaveLength(1);

    const deleted = await openstack(admin, ['server', 'delete', '--wait', 'e2e-delete']);
    expect(deleted.exitCode, deleted.stderr).toBe(0);

    const listed = await openstackJson<Array<Record<string, unknown>>>(admin, ['server', 'list']);
    expect(listed.map((row) => row.ID)).not.toContain(serverId);
    const shown = await openstack(admin, ['server', 'show', serverId]);
    expect(shown.exitCode).not.toBe(0);
    expect(shown.stderr).toContain(`No server with a name or ID of '${serverId}' exists.`);
    expect(await processesOf(serverId)).toEqual([]);
    expect(await stat(layout().instance(serverId).dir).catch(() => null)).toBeNull();
  });

  /** What os-hypervisors says the host has given out (`openstack hypervisor show` also asks for os-aggregates, which strata does not serve). */
  const hostUsage = async () => {
    const row = (await hypervisors(await adminClient(strata.apiUrl, admin))).find((entry) => entry.hypervisor_hostname === 'test-host');
    return { vcpus_used: row?.vcpus_used, memory_mb_used: row?.memory_mb_used, local_gb_used: row?.local_gb_used, running_vms: row?.running_vms };
  };
  const md5Of = async (path: string) => createHash('md5').update(await readFile(path)).digest('hex');

  it('purges the ephemeral disk (zeroed before unlink), gives the capacity back, keeps the image, and records every step', { timeout: 300_000 }, async () => {
    await openstackJson(admin, ['flavor', 'create', '--vcpus', '1', '--ram', '64', '--disk', '1', '--ephemeral', '1', 'm1.eph']);
    const image = await openstackJson(admin, ['image', 'show', 'bios-guest']);
    expect(image.checksum).toBe(await md5Of(guestImages.biosRaw));
    const before = await hostUsage();

    const server = await openstackJson(admin, ['server', 'create', '--image', 'bios-guest', '--flavor', 'm1.eph', '--wait', 'e2e-purge']);
    const serverId = server.id as string;
    serverIds.push(serverId);
    expect(server.status).toBe('ACTIVE');
    const mark = `vdb-wrote: STRATA-MARK boot=1 id=${serverId}`;
    expect((await openstack(admin, ['console', 'log', 'show', serverId])).stdout).toContain(mark);
    const during = await hostUsage();
    expect(during).toEqual({ vcpus_used: Number(before.vcpus_used) + 1, memory_mb_used: Number(before.memory_mb_used) + 64, local_gb_used: Number(before.local_gb_used) + 2, running_vms: Number(before.running_vms) + 1 });
    const paths = layout().instance(serverId);
    const base = layout().base(image.id as string).file;
    const baseDigest = await hashFile(base, 'sha256');
    // A second name for the ephemeral disk's inode: it outlives the unlink, so it shows what the blocks held at removal.
    const retained = join(strata.dataDir, `retained-${serverId}.eph0`);
    await link(paths.ephemeralDisk, retained);
    const written = await readFile(retained);
    expect(written.includes(`STRATA-MARK boot=1 id=${serverId}`)).toBe(true);

    const deleted = await openstack(admin, ['server', 'delete', '--wait', serverId]);
    expect(deleted.exitCode, deleted.stderr).toBe(0);

    expect(await processesOf(serverId)).toEqual([]);
    expect(await stat(paths.dir).catch(() => null)).toBeNull();
    const purged = await readFile(retained);
    expect(purged.length).toBe(written.length);
    expect(purged.every((byte) => byte === 0)).toBe(true);
    expect(await hostUsage()).toEqual(before);
    expect((await openstackJson(admin, ['image', 'show', 'bios-guest'])).checksum).toBe(image.checksum);
    expect(await hashFile(base, 'sha256')).toBe(baseDigest);
    const saved = join(strata.dataDir, `saved-${serverId}.raw`);
    expect((await openstack(admin, ['image', 'save', '--file', saved, 'bios-guest'])).exitCode).toBe(0);
    expect(await md5Of(saved)).toBe(image.checksum);
    const types = (await instanceEvents(strata.dataDir, serverId)).map((event) => event.type);
    expect(types).toEqual([
      'InstanceRequested.v1', 'InstanceScheduled.v1', 'RootDiskCreated.v1', 'EphemeralDiskCreated.v1', 'InstanceSpawning.v1', 'VmStarted.v1', 'InstanceBooted.v1',
      'InstanceDeleting.v1', 'InstanceDestroyed.v1', 'InstanceDeleted.v1',
    ]);
  });
});
