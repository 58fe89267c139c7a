// The real `openstack` CLI launching strata's BIOS and UEFI test guests under `strata up`:
// ACTIVE with host, zone, flavor and no task; the boot marker on the console; and the
// host's cached base holding exactly the uploaded bytes (the image's sha512), untouched
// by a guest that wrote its boot counter to its own disk — the overlay took the write.
import { execa } from 'execa';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { guestImages } from '../hypervisor/guest-lab.js';
import { biosGuestDone, uefiGuestBooted } from '../hypervisor/guest-report.js';
import { openstack, openstackJson } from '../support/openstack.js';
import { startStrata, type RunningStrata } from '../support/strata-up.js';
import { hashFile, layoutOf, stopAllVms } from './launch-lab.js';

let strata: RunningStrata;

beforeAll(async () => {
  await execa('bash', [join(import.meta.dirname, '../../scripts/build-guests.sh')], { timeout: 120_000 });
  strata = await startStrata();
}, 300_000);
afterAll(async () => {
  if (strata) await stopAllVms(strata.dataDir);
  await strata?.stop();
  if (strata) await rm(strata.dataDir, { recursive: true, force: true });
});

interface GuestCase {
  name: string;
  file: string;
  properties: string[];
  marker: string;
  /** The BIOS guest counts its boots on its own disk; the UEFI guest writes nothing. */
  writesItsDisk: boolean;
}

const cases: GuestCase[] = [
  // The BIOS guest prints its done marker after writing its boot counter: ACTIVE means written.
  { name: 'bios', file: guestImages.biosRaw, properties: [`strata_boot_marker=${biosGuestDone}`], marker: biosGuestDone, writesItsDisk: true },
  { name: 'uefi', file: guestImages.uefiRaw, properties: ['hw_firmware_type=uefi', `strata_boot_marker=${uefiGuestBooted}`], marker: uefiGuestBooted, writesItsDisk: false },
];

describe.each(cases)('launching the $name guest with the openstack CLI', { timeout: 240_000 }, ({ name, file, properties, marker, writesItsDisk }) => {
  it('boots to ACTIVE from a cached base that stays byte-for-byte the image', async () => {
    const admin = strata.adminEnv;
    const image = await openstackJson(admin, [
      'image', 'create', '--file', file, '--disk-format', 'raw', '--container-format', 'bare',
      ...properties.flatMap((property) => ['--property', property]), `${name}-guest`,
    ]);
    const server = await openstackJson(admin, ['server', 'create', '--image', image.id as string, '--flavor', 'm1.tiny', '--wait', `${name}-server`]);
    expect(server).toMatchObject({
      status: 'ACTIVE',
      'OS-EXT-STS:vm_state': 'active',
      'OS-EXT-STS:task_state': null,
      'OS-EXT-SRV-ATTR:host': 'test-host',
      'OS-EXT-AZ:availability_zone': 'nova',
      flavor: 'm1.tiny (1)',
    });

    const console = await openstack(admin, ['console', 'log', 'show', `${name}-server`]);
    expect(console.exitCode, console.stderr).toBe(0);
    expect(console.stdout).toContain(marker);

    const base = layoutOf(strata.dataDir, 'test-host').base(image.id as string).file;
    const shown = await openstackJson<{ properties: Record<string, unknown> }>(admin, ['image', 'show', image.id as string]);
    expect(shown.properties.os_hash_algo).toBe('sha512');
    expect(await hashFile(base, 'sha512')).toBe(shown.properties.os_hash_value);
    expect(await hashFile(base, 'sha256')).toBe(await hashFile(file, 'sha256'));

    if (!writesItsDisk) return;
    expect(console.stdout).toContain('boot-count=1');
    // The guest's write landed in its overlay: the disk it sees now differs from the base.
    const rootDisk = layoutOf(strata.dataDir, 'test-host').instance(server.id as string).rootDisk;
    const compare = await execa('qemu-img', ['compare', '-U', '-f', 'qcow2', '-F', 'raw', rootDisk, base], { reject: false });
    expect(compare.exitCode, compare.stderr).toBe(1);
  });
});
