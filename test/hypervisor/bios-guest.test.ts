// Boots the BIOS test guest under real QEMU from qcow2 overlays over the raw base image
// and reads its console: the root disk is a copy, the counter lives on it, and data
// disks (plain and LUKS) keep what the guest wrote.
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { createDisk, createOverlay, info } from '../../hypervisor/qemu-img.js';
import { writeSecretFile } from '../../hypervisor/secret-file.js';
import { stopVm } from '../../hypervisor/vm-process.js';
import type { DiskSpec, VmSpec } from '../../hypervisor/vm-spec.js';
import { fileDisk, guestImages, sha256File, useGuestLab } from './guest-lab.js';
import { parseGuestReport, parseMark } from './guest-report.js';

const lab = useGuestLab();

/** Boots spec until the guest has reported everything, then stops it. */
async function bootOnce(spec: VmSpec) {
  const { vm, console, bootMs } = await lab.boot(spec);
  expect(await stopVm(vm)).toBe('quit');
  return { report: parseGuestReport(console), bootMs };
}

describe('BIOS test guest', () => {
  it('boots from a qcow2 overlay, counts its boots on the overlay and never writes the base', async () => {
    const baseBefore = await sha256File(guestImages.biosRaw);
    const spec = lab.spec('counter', [fileDisk('vda', await lab.rootDisk('counter'), 'qcow2')]);

    const first = await bootOnce(spec);
    expect(first.report).toMatchObject({ instanceId: spec.instanceId, bootCount: 1, done: true, disks: { vdb: { present: false }, vdc: { present: false } } });
    const second = await bootOnce(spec);
    expect(second.report.bootCount).toBe(2);

    const fresh = await bootOnce(lab.spec('fresh', [fileDisk('vda', await lab.rootDisk('fresh'), 'qcow2')]));
    expect(fresh.report.bootCount).toBe(1);
    expect(await sha256File(guestImages.biosRaw)).toBe(baseBefore);
    console.info(`BIOS start to STRATA-GUEST-DONE: ${[first, second, fresh].map((boot) => `${Math.round(boot.bootMs)} ms`).join(', ')}`);
  });

  it('boots the qcow2 build of the guest image as a base too', async () => {
    const rootDisk = lab.path('qcow2-base-vda.qcow2');
    await createOverlay(guestImages.biosQcow2, 'qcow2', rootDisk);
    const { report } = await bootOnce(lab.spec('qcow2-base', [fileDisk('vda', rootDisk, 'qcow2')]));
    expect(report.bootCount).toBe(1);
  });

  it('marks vdb and vdc, and the next boot (of another instance) reads those marks back', async () => {
    const vdb = lab.path('marks-vdb.qcow2');
    const vdc = lab.path('marks-vdc.raw');
    await createDisk(vdb, 64 * 1024 * 1024, { format: 'qcow2' });
    await createDisk(vdc, 1024 * 1024, { format: 'raw' });
    const dataDisks: DiskSpec[] = [fileDisk('vdb', vdb, 'qcow2'), fileDisk('vdc', vdc, 'raw')];

    const writer = lab.spec('writer', [fileDisk('vda', await lab.rootDisk('writer'), 'qcow2'), ...dataDisks]);
    const { report: written } = await bootOnce(writer);
    expect(written.disks.vdb).toEqual({ present: true, read: undefined, wrote: `STRATA-MARK boot=1 id=${writer.instanceId}` });
    expect(written.disks.vdc).toEqual({ present: true, read: undefined, wrote: `STRATA-MARK boot=1 id=${writer.instanceId}` });

    const reader = lab.spec('reader', [fileDisk('vda', await lab.rootDisk('reader'), 'qcow2'), ...dataDisks]);
    const { report: read } = await bootOnce(reader);
    for (const disk of [read.disks.vdb, read.disks.vdc]) {
      expect(disk?.present && 'read' in disk ? parseMark(disk.read) : undefined).toEqual({ boot: 1, instanceId: writer.instanceId });
    }
  });

  it('names data disks by drive order: a volume in vdc without a vdb reports as vdb, as Linux would name it', async () => {
    const volume = lab.path('lone-vdc.raw');
    await createDisk(volume, 1024 * 1024, { format: 'raw' });
    const spec = lab.spec('lone', [fileDisk('vda', await lab.rootDisk('lone'), 'qcow2'), fileDisk('vdc', volume, 'raw')]);
    const { report } = await bootOnce(spec);
    expect(report.disks).toEqual({
      vdb: { present: true, read: undefined, wrote: `STRATA-MARK boot=1 id=${spec.instanceId}` },
      vdc: { present: false },
    });
  });

  it('uses a LUKS-encrypted vdb whose file never holds the plaintext mark', async () => {
    const keyFile = lab.path('luks-vdb.key');
    await writeSecretFile(keyFile, randomBytes(32).toString('base64'));
    const vdb = lab.path('luks-vdb.qcow2');
    await createDisk(vdb, 16 * 1024 * 1024, { format: 'qcow2', luksKeyFile: keyFile });
    expect(await info(vdb, { format: 'qcow2' })).toMatchObject({ encrypted: true });
    const spec = lab.spec('luks', [fileDisk('vda', await lab.rootDisk('luks'), 'qcow2'), fileDisk('vdb', vdb, 'qcow2', { luksKeyFile: keyFile })]);

    const { report: first } = await bootOnce(spec);
    expect(first.disks.vdb).toMatchObject({ present: true, read: undefined });
    const { report: second } = await bootOnce(spec);
    expect(second.disks.vdb).toMatchObject({ present: true, read: `STRATA-MARK boot=1 id=${spec.instanceId}` });
    expect((await readFile(vdb)).includes('STRATA-MARK')).toBe(false);
  });
});
