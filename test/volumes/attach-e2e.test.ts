// The real `openstack` CLI against `strata up`: a volume is attached to a running server
// (hot-plugged over QMP as vdc, QEMU logging in to tgtd over iSCSI with the attachment's
// CHAP account), the test guest writes its mark on it, the server is deleted and the
// volume comes back available with the mark in its data; a second server gets the volume
// and its guest reads the mark back. tgtd killed while attached is replaced and its
// export restored, and the guest still reaches the volume.
import { execa } from 'execa';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hostLayout } from '../../activities/launch/host-layout.js';
import { loadExportCredentials, volumeFilePath } from '../../activities/storage/volume-files.js';
import { hostInitiatorName } from '../../domain/volume/initiator.js';
import { writeSecretFile } from '../../hypervisor/secret-file.js';
import { volumeIqn } from '../../activities/storage/volume-activities.js';
import { adoptVm, stopVm, withQmp } from '../../hypervisor/vm-process.js';
import { instanceFiles } from '../../hypervisor/instance-files.js';
import { waitUntil } from '../../runtime/wait.js';
import { findTarget } from '../../storage/tgt/exports.js';
import { adoptTgtd, isTgtd, stopTgtd } from '../../storage/tgt/tgtd-process.js';
import { guestImages } from '../hypervisor/guest-lab.js';
import { openstack, openstackJson } from '../support/openstack.js';
import { freePort } from '../support/ports.js';
import { startStrataWithGuest } from '../support/guest-strata.js';
import { stopServerVms } from '../support/server-vms.js';
import { searchAttributes } from '../../workflows/search-attributes.js';
import { saveOneRunPerType } from '../histories/save.js';
import type { RunningStrata } from '../support/strata-up.js';
import { ok, type Row, waitForVolumeStatus } from './volume-cli.js';


let strata: RunningStrata;
let admin: Record<string, string>;
let iscsiPort: number;
const serverIds: string[] = [];
const layout = () => hostLayout(join(strata.dataDir, 'hosts', 'test-host'));
const volumesDir = () => join(strata.dataDir, 'volumes', 'test-node');
const tgtdOptions = () => ({ stateDir: join(volumesDir(), '.tgt'), address: '127.0.0.1', port: iscsiPort });
/** The guest writes its mark at byte 72 × 512 of each data disk. */
const MARK_OFFSET = 72 * 512;

const waitForVolume = (id: string, status: string) => waitForVolumeStatus(admin, id, status, 180_000);

async function createServer(name: string): Promise<string> {
  const server = await openstackJson(admin, ['server', 'create', '--image', 'bios-guest', '--flavor', 'eph', '--wait', name]);
  expect(server.status).toBe('ACTIVE');
  serverIds.push(server.id as string);
  return server.id as string;
}

async function consoleLog(serverId: string): Promise<string> {
  return readFile(instanceFiles(layout().instance(serverId).dir).consoleLog, 'utf8');
}

/**
 * The test guest reads and writes its data disks once per boot (it has no hot-plug
 * driver), so the test resets the VM — as a guest that only scans its disks at boot is rebooted — and
 * waits for that boot's report.
 */
async function rebootAndReport(serverId: string, boot: number): Promise<string> {
  const vm = await adoptVm(layout().instance(serverId).dir);
  if (!vm) throw new Error(`no QEMU for ${serverId}`);
  await withQmp(vm, (qmp) => qmp.execute('system_reset'));
  let report = '';
  await waitUntil(`boot ${boot} of ${serverId} to report`, async () => {
    const log = await consoleLog(serverId);
    const start = log.indexOf(`boot-count=${boot}`);
    report = start < 0 ? '' : log.slice(start);
    return report.includes('STRATA-GUEST-DONE');
  }, { timeoutMs: 60_000, intervalMs: 250 });
  return report;
}

/** Tries to open the volume's target as QEMU would; returns qemu-img's complaint ('' when it got in). */
async function iscsiLogin(volumeId: string, initiatorName: string, user: string, password: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'chap-'));
  try {
    const secret = join(dir, 'password');
    await writeSecretFile(secret, password);
    const options = [
      'driver=raw', 'file.driver=iscsi', 'file.transport=tcp', `file.portal=127.0.0.1:${iscsiPort}`, `file.target=${volumeIqn(volumeId)}`,
      'file.lun=1', `file.initiator-name=${initiatorName}`, `file.user=${user}`, 'file.password-secret=chap',
    ].join(',');
    const result = await execa('qemu-img', ['info', '--object', `secret,id=chap,file=${secret},format=raw`, '--image-opts', options], { reject: false, timeout: 30_000 });
    return result.exitCode === 0 ? '' : result.stderr;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function markOnVolume(volumeId: string): Promise<string> {
  const data = await readFile(volumeFilePath(volumesDir(), volumeId));
  const bytes = data.subarray(MARK_OFFSET, MARK_OFFSET + 96);
  return bytes.subarray(0, Math.max(0, bytes.indexOf(0))).toString('latin1');
}

beforeAll(async () => {
  iscsiPort = await freePort();
  ({ strata } = await startStrataWithGuest({ STRATA_STORAGE_ISCSI_PORT: String(iscsiPort), STRATA_COMPUTE_BOOT_TIMEOUT_SECONDS: '40' }));
  admin = strata.adminEnv;
  // An ephemeral disk (vdb) makes the volume the guest's third disk, so it reports it as vdc.
  await ok(admin, ['flavor', 'create', '--ram', '256', '--disk', '1', '--ephemeral', '1', '--vcpus', '1', 'eph']);
}, 300_000);

afterAll(async () => {
  if (strata) await stopServerVms(strata.dataDir, serverIds);
  await strata?.stop();
  const tgtd = strata && (await adoptTgtd(tgtdOptions()));
  if (tgtd) await stopTgtd(tgtd);
});

describe('openstack server add/remove volume against strata up', { timeout: 600_000 }, () => {
  it('keeps the guest\'s mark on the volume across server delete and reads it from a new server; survives a tgtd restart', async () => {
    const volume = await openstackJson(admin, ['volume', 'create', '--size', '1', 'data']);
    const volumeId = volume.id as string;
    await waitForVolume(volumeId, 'available');

    const first = await createServer('first');
    await ok(admin, ['server', 'add', 'volume', first, volumeId]);
    const inUse = await waitForVolume(volumeId, 'in-use');
    expect(inUse.attachments).toEqual([expect.objectContaining({ server_id: first, device: 'vdc' })]);
    const attachments = await openstackJson<Row[]>(admin, ['server', 'volume', 'list', first]);
    expect(attachments).toEqual([expect.objectContaining({ Device: '/dev/vdc', 'Volume ID': volumeId })]);
    const shown = await openstackJson(admin, ['server', 'show', first]);
    expect(JSON.stringify(shown.volumes_attached)).toContain(volumeId);

    const firstReport = await rebootAndReport(first, 2);
    expect(firstReport).toContain('vdc-read: empty');
    expect(firstReport).toContain(`vdc-wrote: STRATA-MARK boot=2 id=${first}`);

    await ok(admin, ['server', 'delete', '--wait', first]);
    await waitForVolume(volumeId, 'available');
    expect(await markOnVolume(volumeId)).toBe(`STRATA-MARK boot=2 id=${first}`);
    const tgtd = await adoptTgtd(tgtdOptions());
    expect(tgtd && (await findTarget(tgtd, volumeIqn(volumeId)))).toBeUndefined();

    const second = await createServer('second');
    await ok(admin, ['server', 'add', 'volume', second, volumeId]);
    await waitForVolume(volumeId, 'in-use');
    const secondReport = await rebootAndReport(second, 2);
    expect(secondReport).toContain(`vdc-read: STRATA-MARK boot=2 id=${first}`);

    // tgtd dies while the volume is attached: the storage worker starts another and restores the export.
    const before = await adoptTgtd(tgtdOptions());
    if (!before) throw new Error('no tgtd while a volume is attached');
    process.kill(before.pid, 'SIGKILL');
    let after: Awaited<ReturnType<typeof adoptTgtd>>;
    await waitUntil('a new tgtd with the export restored', async () => {
      after = await adoptTgtd(tgtdOptions());
      return after !== undefined && after.pid !== before.pid && (await findTarget(after, volumeIqn(volumeId))) !== undefined;
    }, { timeoutMs: 30_000, intervalMs: 250 });
    expect(isTgtd(before)).toBe(false);
    const afterRestart = await rebootAndReport(second, 3);
    expect(afterRestart).toContain(`vdc-read: STRATA-MARK boot=2 id=${second}`);
    expect(afterRestart).toContain(`vdc-wrote: STRATA-MARK boot=3 id=${second}`);

    // CHAP is enforced: a wrong password, or the right one from another initiator, does not log in.
    const chap = await loadExportCredentials(volumesDir(), volumeId, hostInitiatorName('test-host'));
    if (!chap) throw new Error('the node keeps no CHAP credentials for the attachment');
    expect(await iscsiLogin(volumeId, hostInitiatorName('test-host'), chap.user, `${chap.password}x`)).toMatch(/fail|denied|error/i);
    expect(await iscsiLogin(volumeId, hostInitiatorName('intruder'), chap.user, chap.password)).toMatch(/fail|denied|error/i);

    // Detach: device_del waits for the guest to release the disk; this guest lets go when it reboots.
    await ok(admin, ['server', 'remove', 'volume', second, volumeId]);
    expect((await openstackJson(admin, ['volume', 'show', volumeId])).status).toBe('detaching');
    const detachedBoot = await rebootAndReport(second, 4);
    expect(detachedBoot).toContain('vdc: absent');
    await waitForVolume(volumeId, 'available');
    expect(await openstackJson<Row[]>(admin, ['server', 'volume', 'list', second])).toEqual([]);
    expect(await findTarget((await adoptTgtd(tgtdOptions()))!, volumeIqn(volumeId))).toBeUndefined();
    expect(await markOnVolume(volumeId)).toBe(`STRATA-MARK boot=3 id=${second}`);
  });

  it('refuses bad attaches and detaches with Nova\'s 4xx and changes nothing', async () => {
    const token = (await ok(admin, ['token', 'issue', '-f', 'value', '-c', 'id'])).trim();
    const compute = (path: string, method: string, body?: unknown) =>
      fetch(`${strata.apiUrl}/compute/v2.1${path}`, {
        method,
        headers: { 'x-auth-token': token, 'openstack-api-version': 'compute 2.79', ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    const attach = (serverId: string, volumeId: string) => compute(`/servers/${serverId}/os-volume_attachments`, 'POST', { volumeAttachment: { volumeId } });

    const volumeId = (await openstackJson(admin, ['volume', 'create', '--size', '1', 'bad-input'])).id as string;
    const spareId = (await openstackJson(admin, ['volume', 'create', '--size', '1', 'spare'])).id as string;
    await waitForVolume(volumeId, 'available');
    await waitForVolume(spareId, 'available');
    const server = await createServer('bad-input');
    const gone = await createServer('gone');
    await ok(admin, ['server', 'delete', '--wait', gone]);

    // Sizes: negative, zero, beyond what a node holds, not a number.
    for (const size of [-1, 0, 1024 * 1024, 'ten']) {
      const response = await fetch(`${strata.apiUrl}/volume/v3/${(await openstackJson(admin, ['token', 'issue'])).project_id as string}/volumes`, {
        method: 'POST', headers: { 'x-auth-token': token, 'content-type': 'application/json' }, body: JSON.stringify({ volume: { size, name: `size-${size}` } }),
      });
      expect(response.status, String(size)).toBe(400);
    }

    expect((await attach(gone, volumeId)).status).toBe(404);
    expect((await attach(server, '00000000-0000-4000-8000-000000000000')).status).toBe(404);
    expect((await compute(`/servers/${server}/os-volume_attachments`, 'POST', { volumeAttachment: { volumeId: 'not-a-uuid' } })).status).toBe(400);
    expect((await compute(`/servers/${server}/os-volume_attachments/${volumeId}`, 'DELETE')).status).toBe(404);
    expect((await waitForVolume(volumeId, 'available')).attachments).toEqual([]);

    const attached = await attach(server, volumeId);
    expect(attached.status).toBe(200);
    expect(await attached.json()).toEqual({ volumeAttachment: { device: '/dev/vdc', id: volumeId, serverId: server, volumeId, tag: null, delete_on_termination: false } });
    await waitForVolume(volumeId, 'in-use');
    const twice = await attach(server, volumeId);
    expect(twice.status).toBe(400);
    expect(JSON.stringify(await twice.json())).toContain('already attached');
    // An in-use volume is not deleted.
    const refused = await openstack(admin, ['volume', 'delete', volumeId]);
    expect(refused.exitCode).not.toBe(0);
    expect(refused.stderr).toMatch(/HTTP 409/);
    expect((await waitForVolume(volumeId, 'in-use')).attachments).toEqual([expect.objectContaining({ server_id: server, device: 'vdc' })]);

    // Another project's volume does not exist for this project's server (and vice versa).
    await ok(admin, ['project', 'create', 'attach-other']);
    await ok(admin, ['user', 'create', '--password', 'other-secret', '--project', 'attach-other', 'attach-other-user']);
    await ok(admin, ['role', 'add', '--user', 'attach-other-user', '--project', 'attach-other', 'member']);
    const other = { ...admin, OS_USERNAME: 'attach-other-user', OS_PASSWORD: 'other-secret', OS_PROJECT_NAME: 'attach-other' };
    const foreignId = (await openstackJson(other, ['volume', 'create', '--size', '1', 'foreign'])).id as string;
    expect((await attach(server, foreignId)).status).toBe(404);
    const otherToken = (await ok(other, ['token', 'issue', '-f', 'value', '-c', 'id'])).trim();
    const asOther = await fetch(`${strata.apiUrl}/compute/v2.1/servers/${server}/os-volume_attachments`, {
      method: 'POST', headers: { 'x-auth-token': otherToken, 'content-type': 'application/json' }, body: JSON.stringify({ volumeAttachment: { volumeId: spareId } }),
    });
    expect(asOther.status).toBe(404);
    expect((await openstackJson(other, ['volume', 'show', foreignId])).attachments).toEqual([]);
    expect((await waitForVolume(spareId, 'available')).attachments).toEqual([]);
    expect(await openstackJson<Row[]>(admin, ['server', 'volume', 'list', server])).toEqual([expect.objectContaining({ 'Volume ID': volumeId })]);

    // A failed attach compensates: the host has no QEMU to plug into (stopped behind strata's back),
    // so the export is withdrawn and the volume is available again.
    const vm = await adoptVm(layout().instance(server).dir);
    if (vm) await stopVm(vm);
    expect((await attach(server, spareId)).status).toBe(200);
    expect((await waitForVolume(spareId, 'available')).attachments).toEqual([]);
    expect(await findTarget((await adoptTgtd(tgtdOptions()))!, volumeIqn(spareId))).toBeUndefined();
  });

  it('boots a server from a volume made from an image, with a data volume attached at launch; the boot disk keeps its state across delete and re-create', async () => {
    const boot = await openstackJson(admin, ['volume', 'create', '--image', 'bios-guest', '--size', '1', 'boot']);
    const bootId = boot.id as string;
    const shownBoot = await waitForVolume(bootId, 'available');
    expect(shownBoot.bootable).toBe('true');
    const dataId = (await openstackJson(admin, ['volume', 'create', '--size', '1', 'launch-data'])).id as string;
    await waitForVolume(dataId, 'available');

    const created = await openstackJson(admin, [
      'server', 'create', '--volume', bootId, '--block-device', `uuid=${dataId},source_type=volume,destination_type=volume,boot_index=-1`,
      '--flavor', 'eph', '--wait', 'from-volume',
    ]);
    const first = created.id as string;
    serverIds.push(first);
    expect(created.status).toBe('ACTIVE');
    const server = await openstackJson(admin, ['server', 'show', first]);
    expect(String(server.image)).toMatch(/booted from volume|^$/i);
    expect((await waitForVolume(bootId, 'in-use')).attachments).toEqual([expect.objectContaining({ server_id: first, device: 'vda' })]);
    expect((await waitForVolume(dataId, 'in-use')).attachments).toEqual([expect.objectContaining({ server_id: first, device: 'vdc' })]);
    const firstLog = await consoleLog(first);
    expect(firstLog).toContain('boot-count=1');
    expect(firstLog).toContain(`vdc-wrote: STRATA-MARK boot=1 id=${first}`);

    // The image it came from may go: the server's disk is the volume.
    await ok(admin, ['image', 'delete', 'bios-guest']);
    await ok(admin, ['server', 'delete', '--wait', first]);
    await waitForVolume(bootId, 'available');
    await waitForVolume(dataId, 'available');
    expect(await markOnVolume(dataId)).toBe(`STRATA-MARK boot=1 id=${first}`);

    const again = await openstackJson(admin, ['server', 'create', '--volume', bootId, '--flavor', 'eph', '--wait', 'from-volume-again']);
    serverIds.push(again.id as string);
    expect(again.status).toBe('ACTIVE');
    // The boot counter lives on the volume: the second server is its second boot.
    expect(await consoleLog(again.id as string)).toContain('boot-count=2');
  });

  it('a launch that fails gives its volumes back: available, no export, not listed on the server', async () => {
    // A guest that never prints the marker its image names: the boot times out (STRATA_COMPUTE_BOOT_TIMEOUT_SECONDS).
    await openstackJson(admin, [
      'image', 'create', '--file', guestImages.biosRaw, '--disk-format', 'raw', '--container-format', 'bare',
      '--property', 'strata_boot_marker=NEVER-PRINTED', '--public', 'silent-guest',
    ]);
    const bootId = (await openstackJson(admin, ['volume', 'create', '--image', 'silent-guest', '--size', '1', 'silent-boot'])).id as string;
    await waitForVolume(bootId, 'available');
    const launched = await openstack(admin, ['server', 'create', '--volume', bootId, '--flavor', 'eph', '--wait', 'silent']);
    // The CLI reports the ERROR in words (its `raise SystemExit` exits 0).
    expect(`${launched.stdout}${launched.stderr}`).toContain('Error creating server');
    const server = await openstackJson(admin, ['server', 'show', 'silent']);
    serverIds.push(server.id as string);
    expect(server.status).toBe('ERROR');
    expect(server.volumes_attached).toEqual([]);
    expect((await waitForVolume(bootId, 'available')).attachments).toEqual([]);
    expect(await findTarget((await adoptTgtd(tgtdOptions()))!, volumeIqn(bootId))).toBeUndefined();
  });

  it('saves one run of each workflow type it ran (STRATA_SAVE_HISTORIES=1), each tagged with its operation', async () => {
    const types = await saveOneRunPerType(`127.0.0.1:${strata.env.STRATA_TEMPORAL_DEV_SERVER_PORT}`, 'attach-e2e', (run) => {
      expect(run.typedSearchAttributes.get(searchAttributes.operation), `${run.type} ${run.workflowId}`).toBeDefined();
    });
    expect([...types]).toEqual(expect.arrayContaining(['attachVolume', 'detachVolume', 'createVolume']));
  });
});
