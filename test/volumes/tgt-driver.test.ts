// The tgt driver against a real tgtd, with real QEMU as the initiator: the BIOS test
// guest writes its mark through iSCSI into the volume file; CHAP and the initiator ACL
// keep everyone else out; stop leaves no tgtd behind.
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { open, truncate, writeFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { writeSecretFile } from '../../hypervisor/secret-file.js';
import { stopVm } from '../../hypervisor/vm-process.js';
import { startVm } from '../../hypervisor/vm-process.js';
import type { DiskSpec } from '../../hypervisor/vm-spec.js';
import type { ChapCredentials } from '../../storage/tgt/exports.js';
import { exportVolumeFile, findTarget, listTargets, newChapCredentials, unexportVolumeFile, volumeLun } from '../../storage/tgt/exports.js';
import { adoptTgtd, isTgtd, startTgtd, stopTgtd } from '../../storage/tgt/tgtd-process.js';
import { fileDisk, useGuestLab } from '../hypervisor/guest-lab.js';
import { parseGuestReport, parseMark } from '../hypervisor/guest-report.js';
import { freePort } from '../support/ports.js';
import { useTgtd } from './tgt-bench.js';

const lab = useGuestLab();
const tgt = useTgtd(lab.path);
const hostInitiator = 'iqn.2026-11.io.strata:compute-test';

async function volumeFile(name: string): Promise<string> {
  const path = lab.path(`${name}.volume`);
  await writeFile(path, '');
  await truncate(path, 1024 * 1024);
  return path;
}

async function iscsiDisk(name: string, iqn: string, chap: ChapCredentials, initiatorName = hostInitiator): Promise<DiskSpec> {
  const passwordFile = lab.path(`${name}.chap`);
  await writeSecretFile(passwordFile, chap.password);
  return { name: 'vdc', source: { kind: 'iscsi', portal: tgt.current().portal, iqn, lun: volumeLun, initiatorName, chap: { user: chap.user, passwordFile } } };
}

/** Sector 72 of a data disk, where the guest leaves its mark. */
async function markOnFile(path: string): Promise<string> {
  const file = await open(path, 'r');
  try {
    const sector = Buffer.alloc(512);
    await file.read(sector, 0, 512, 72 * 512);
    return sector.subarray(0, sector.indexOf(0)).toString('latin1');
  } finally {
    await file.close();
  }
}

describe('tgt driver', () => {
  it('exports a volume file that the guest writes through QEMU’s iSCSI initiator, and withdraws it', async () => {
    const iqn = `iqn.2026-11.io.strata:volume-${randomUUID()}`;
    const backingFile = await volumeFile('written');
    const chap = newChapCredentials();
    const exported = await exportVolumeFile(tgt.current(), { iqn, backingFile, initiatorName: hostInitiator, chap });
    expect(exported.lun).toBe(1);
    // Idempotent: a retried export converges on the same target.
    expect(await exportVolumeFile(tgt.current(), { iqn, backingFile, initiatorName: hostInitiator, chap })).toEqual(exported);
    expect(await findTarget(tgt.current(), iqn)).toEqual({ tid: exported.tid, iqn, luns: [{ lun: 1, backingFile }], accounts: [chap.user], acls: [hostInitiator] });

    const spec = lab.spec('iscsi-writer', [fileDisk('vda', await lab.rootDisk('iscsi-writer'), 'qcow2'), await iscsiDisk('writer', iqn, chap)]);
    const { vm, console } = await lab.boot(spec);
    await stopVm(vm);
    // The only data disk is vdc, so the guest names it vdb (drive order).
    const report = parseGuestReport(console).disks.vdb;
    expect(report).toEqual({ present: true, read: undefined, wrote: `STRATA-MARK boot=1 id=${spec.instanceId}` });
    expect(parseMark(await markOnFile(backingFile))).toEqual({ boot: 1, instanceId: spec.instanceId });

    await unexportVolumeFile(tgt.current(), iqn);
    expect(await findTarget(tgt.current(), iqn)).toBeUndefined();
    await unexportVolumeFile(tgt.current(), iqn);
  });

  it('refuses a wrong CHAP password with an authentication failure, and an unknown initiator', async () => {
    const iqn = `iqn.2026-11.io.strata:volume-${randomUUID()}`;
    const chap = newChapCredentials();
    await exportVolumeFile(tgt.current(), { iqn, backingFile: await volumeFile('guarded'), initiatorName: hostInitiator, chap });
    try {
      const wrongPassword = await iscsiDisk('wrong-password', iqn, { user: chap.user, password: newChapCredentials().password });
      const spec = lab.spec('wrong-chap', [fileDisk('vda', await lab.rootDisk('wrong-chap'), 'qcow2'), wrongPassword]);
      await expect(startVm(spec).then((vm) => lab.track(vm))).rejects.toThrow(/Authentication failure\(513\)/);

      const stranger = await iscsiDisk('stranger', iqn, chap, 'iqn.2026-11.io.strata:compute-stranger');
      const strangerSpec = lab.spec('stranger', [fileDisk('vda', await lab.rootDisk('stranger'), 'qcow2'), stranger]);
      await expect(startVm(strangerSpec).then((vm) => lab.track(vm))).rejects.toThrow(/Failed to log in to target/);
    } finally {
      await unexportVolumeFile(tgt.current(), iqn);
    }
  });

  it('never exports one IQN with another backing file', async () => {
    const iqn = `iqn.2026-11.io.strata:volume-${randomUUID()}`;
    const chap = newChapCredentials();
    await exportVolumeFile(tgt.current(), { iqn, backingFile: await volumeFile('first'), initiatorName: hostInitiator, chap });
    try {
      await expect(exportVolumeFile(tgt.current(), { iqn, backingFile: await volumeFile('second'), initiatorName: hostInitiator, chap })).rejects.toThrow(/already exports/);
    } finally {
      await unexportVolumeFile(tgt.current(), iqn);
    }
  });

  it('adopts a running tgtd from its state directory, and stops one that still has targets', async () => {
    expect((await adoptTgtd(tgt.options()))?.pid).toBe(tgt.current().pid);
    expect(await adoptTgtd({ ...tgt.options(), port: tgt.options().port + 1 })).toBeUndefined();

    const options = { stateDir: lab.path('tgt-stopped'), address: '127.0.0.1', port: await freePort() };
    const tgtd = await startTgtd(options);
    await exportVolumeFile(tgtd, { iqn: `iqn.2026-11.io.strata:volume-${randomUUID()}`, backingFile: await volumeFile('left'), initiatorName: hostInitiator, chap: newChapCredentials() });
    expect(await listTargets(tgtd)).toHaveLength(1);
    expect(await stopTgtd(tgtd)).toBe('stopped');
    expect(isTgtd(tgtd)).toBe(false);
    expect(existsSync(`${tgtd.ipcSocket}.0`)).toBe(false);
    expect(await adoptTgtd(options)).toBeUndefined();
  });
});
