// The real `openstack` CLI against `strata up`: the BIOS test guest boots (boot counter 1),
// `server image create --wait` snapshots it, the snapshot's image names the server as its
// instance, a server launched from the snapshot boots with counter 2 (the snapshot captured
// the running disk) while one launched from the original image again boots with 1, and the
// original image's data still has the checksum it was uploaded with.
import { createHash } from 'node:crypto';
import { readFile, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { guestImages } from '../hypervisor/guest-lab.js';
import { parseGuestReport } from '../hypervisor/guest-report.js';
import { layoutOf, stopAllVms } from '../launch-e2e/launch-lab.js';
import { openstack, openstackJson } from '../support/openstack.js';
import { startStrataWithGuest } from '../support/guest-strata.js';
import type { RunningStrata } from '../support/strata-up.js';

let strata: RunningStrata;
let admin: Record<string, string>;
let baseImage: Record<string, unknown>;

const md5 = (data: Buffer) => createHash('md5').update(data).digest('hex');

async function bootCountOf(server: string): Promise<number | undefined> {
  const log = await openstack(admin, ['console', 'log', 'show', server]);
  expect(log.exitCode, log.stderr).toBe(0);
  return parseGuestReport(log.stdout).bootCount;
}

async function launch(name: string, image: string): Promise<Record<string, unknown>> {
  const server = await openstackJson(admin, ['server', 'create', '--image', image, '--flavor', 'm1.tiny', '--wait', name]);
  expect(server.status).toBe('ACTIVE');
  return server;
}

beforeAll(async () => {
  ({ strata } = await startStrataWithGuest());
  admin = strata.adminEnv;
  // The checksum the store computed at upload: the guest file's own.
  baseImage = await openstackJson(admin, ['image', 'show', 'bios-guest']);
  expect(baseImage.checksum).toBe(md5(await readFile(guestImages.biosRaw)));
}, 300_000);
afterAll(async () => {
  if (strata) await stopAllVms(strata.dataDir);
  await strata?.stop();
  if (strata) await rm(strata.dataDir, { recursive: true, force: true });
});

describe('openstack server image create against strata up', () => {
  it('snapshots the running guest: the snapshot boots with counter 2, the original image still with 1 and unchanged', { timeout: 400_000 }, async () => {
    const original = await launch('snap-source', 'bios-guest');
    expect(await bootCountOf('snap-source')).toBe(1);

    const created = await openstack(admin, ['server', 'image', 'create', '--wait', '--name', 'snap-1', '--property', 'purpose=e2e', 'snap-source', '-f', 'json']);
    expect(created.exitCode, created.stderr).toBe(0);

    const snapshot = await openstackJson(admin, ['image', 'show', 'snap-1']);
    expect(snapshot).toMatchObject({ status: 'active', disk_format: 'qcow2', container_format: 'bare' });
    expect(snapshot.properties).toMatchObject({
      instance_uuid: original.id,
      image_type: 'snapshot',
      base_image_ref: baseImage.id,
      strata_boot_marker: 'STRATA-GUEST-DONE',
      purpose: 'e2e',
    });
    expect(snapshot.virtual_size).toBe(1024 ** 3);
    expect(snapshot.checksum).toMatch(/^[0-9a-f]{32}$/);

    const source = await openstackJson(admin, ['server', 'show', 'snap-source']);
    expect([source.status, source['OS-EXT-STS:task_state']]).toEqual(['ACTIVE', null]);
    expect(source.project_id).toEqual(expect.any(String));
    expect(snapshot.owner).toBe(source.project_id);
    // The captured copy was removed from the host once uploaded.
    const leftovers = (await readdir(layoutOf(strata.dataDir, 'test-host').instance(original.id as string).dir)).filter((name) => name.startsWith('snapshot-'));
    expect(leftovers).toEqual([]);

    await launch('from-snapshot', 'snap-1');
    expect(await bootCountOf('from-snapshot')).toBe(2);
    await launch('from-original', 'bios-guest');
    expect(await bootCountOf('from-original')).toBe(1);

    const saved = join(strata.dataDir, 'bios-guest-copy.raw');
    const save = await openstack(admin, ['image', 'save', '--file', saved, 'bios-guest']);
    expect(save.exitCode, save.stderr).toBe(0);
    const data = await readFile(saved);
    expect(md5(data)).toBe(baseImage.checksum);
    expect(data.equals(await readFile(guestImages.biosRaw))).toBe(true);
    // The host's cached base, under both guests' overlays and the snapshot's copy, is unchanged too.
    expect(md5(await readFile(layoutOf(strata.dataDir, 'test-host').base(baseImage.id as string).file))).toBe(baseImage.checksum);
  });
});
