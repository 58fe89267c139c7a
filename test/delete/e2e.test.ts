// The real `openstack` CLI against `strata up`: a server booted to ACTIVE from the BIOS
// test guest is deleted with `openstack server delete --wait`; it leaves the list, `show`
// no longer finds it, and neither its QEMU nor its instance directory is left.
import { execa } from 'execa';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hostLayout } from '../../activities/launch/host-layout.js';
import { adoptVm, stopVm } from '../../hypervisor/vm-process.js';
import { guestImages } from '../hypervisor/guest-lab.js';
import { openstack, openstackJson } from '../support/openstack.js';
import { freePort } from '../support/ports.js';
import { startStrata, type RunningStrata } from '../support/strata-up.js';
import { processesOf } from './instance-processes.js';

let strata: RunningStrata;
let admin: Record<string, string>;
const layout = () => hostLayout(join(strata.dataDir, 'hosts', 'test-host'));
/** Servers this file started, stopped after the run should a delete have failed. */
const serverIds: string[] = [];

beforeAll(async () => {
  await execa('bash', [join(import.meta.dirname, '../../scripts/build-guests.sh')], { timeout: 120_000 });
  strata = await startStrata({ STRATA_TEMPORAL_DEV_SERVER_PORT: String(await freePort()) });
  admin = strata.adminEnv;
  await openstackJson(admin, [
    'image', 'create', '--file', guestImages.biosRaw, '--disk-format', 'raw', '--container-format', 'bare',
    '--property', 'strata_boot_marker=STRATA-GUEST-DONE', '--public', 'bios-guest',
  ]);
}, 300_000);
afterAll(async () => {
  if (strata) {
    for (const id of serverIds) {
      const vm = await adoptVm(layout().instance(id).dir);
      if (vm) await stopVm(vm);
    }
  }
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
});
