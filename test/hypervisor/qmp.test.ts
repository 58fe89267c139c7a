// QMP against a running test guest: commands, errors, one client at a time, a live
// backup of the root disk (what a snapshot captures) and disk hot-plug.
import { stat } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { backupDisk, BlockJobError } from '../../hypervisor/block-jobs.js';
import { attachDisk, DetachTimeoutError, detachDisk } from '../../hypervisor/hotplug.js';
import { instanceFiles } from '../../hypervisor/instance-files.js';
import { createDisk, info } from '../../hypervisor/qemu-img.js';
import { QmpClient, QmpConnectionError, QmpError } from '../../hypervisor/qmp.js';
import { writeSecretFile } from '../../hypervisor/secret-file.js';
import { connectQmp, stopVm, withQmp } from '../../hypervisor/vm-process.js';
import { fileDisk, useGuestLab } from './guest-lab.js';
import { parseGuestReport } from './guest-report.js';

const lab = useGuestLab();

describe('QMP', () => {
  it('answers commands and reports failures with their QMP error class', async () => {
    const { vm } = await lab.bootFresh('commands');
    await withQmp(vm, async (qmp) => {
      expect(await qmp.queryStatus()).toMatchObject({ status: 'running', running: true });
      const blocks = await qmp.execute<{ device: string; qdev: string }[]>('query-block');
      expect(blocks.map((block) => block.qdev)).toEqual(['/machine/peripheral/vda/virtio-backend']);
      const failure = await qmp.execute('no-such-command').catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(QmpError);
      expect(failure).toMatchObject({ command: 'no-such-command', errorClass: 'CommandNotFound' });
    });
  });

  it('says so when another client holds the monitor', async () => {
    const { vm } = await lab.bootFresh('busy');
    const holder = await connectQmp(vm);
    try {
      await expect(QmpClient.connect(instanceFiles(vm.runDir).qmpSocket, { timeoutMs: 500 })).rejects.toThrow(/another client may hold the monitor/);
    } finally {
      await holder.close();
    }
    expect(await withQmp(vm, (qmp) => qmp.queryStatus())).toMatchObject({ running: true });
  });

  it('fails every waiting call when QEMU goes away', async () => {
    const { vm } = await lab.bootFresh('gone');
    const qmp = await connectQmp(vm);
    const shutdown = qmp.waitForEvent(['SHUTDOWN'], { timeoutMs: 5_000 });
    const neverDeleted = qmp.waitForEvent(['DEVICE_DELETED'], { timeoutMs: 5_000 });
    await qmp.quit();
    expect((await shutdown).data).toMatchObject({ guest: false, reason: 'host-qmp-quit' });
    await expect(neverDeleted).rejects.toThrow(QmpConnectionError);
    await expect(qmp.queryStatus()).rejects.toThrow(QmpConnectionError);
  });

  it('backs up a running root disk into a standalone image that boots with the counter, twice', async () => {
    const { vm } = await lab.bootFresh('source');
    const copies = [lab.path('source-backup-1.qcow2'), lab.path('source-backup-2.qcow2')];
    await withQmp(vm, async (qmp) => {
      for (const target of copies) await backupDisk(qmp, { node: 'vda', target, timeoutMs: 30_000 });
    });
    for (const copy of copies) {
      expect(await info(copy, { format: 'qcow2' })).toMatchObject({ format: 'qcow2', backingFilename: undefined, virtualSize: 1024 * 1024 });
    }
    const { console } = await lab.bootFresh('from-backup', copies[1], 'qcow2');
    expect(parseGuestReport(console).bootCount).toBe(2);
  });

  it('refuses to back up a disk the VM does not have, leaving no target behind', async () => {
    const { vm } = await lab.bootFresh('bad-backup');
    const target = lab.path('vdz-backup.qcow2');
    await expect(withQmp(vm, (qmp) => backupDisk(qmp, { node: 'vdz', target }))).rejects.toThrow(BlockJobError);
    await expect(stat(target)).rejects.toThrow(/ENOENT/);
  });

  it('hot-plugs a disk where a cold-plugged one would sit, and cannot detach it from a guest without ACPI', async () => {
    const { vm } = await lab.bootFresh('hotplug');
    const volume = lab.path('hotplug-vdc.raw');
    await createDisk(volume, 1024 * 1024, { format: 'raw' });
    const vdc = fileDisk('vdc', volume, 'raw');
    const keyFile = lab.path('hotplug.key');
    await writeSecretFile(keyFile, 'passphrase');

    await withQmp(vm, async (qmp) => {
      const absent = fileDisk('vdc', lab.path('absent.qcow2'), 'qcow2', { luksKeyFile: keyFile });
      await expect(attachDisk(qmp, absent)).rejects.toThrow(QmpError);
      const objects = await qmp.execute<{ name: string }[]>('qom-list', { path: '/objects' });
      expect(objects.map((object) => object.name)).not.toContain('vdc-luks-key');
      await attachDisk(qmp, vdc);
      const blocks = await qmp.execute<{ qdev: string; inserted?: { file: string } }[]>('query-block');
      expect(blocks.find((block) => block.qdev.startsWith('/machine/peripheral/vdc/'))?.inserted?.file).toBe(volume);
      const slots = await qmp.execute<{ devices: { slot: number; qdev_id: string }[] }[]>('query-pci');
      expect(slots[0]?.devices.filter((device) => device.qdev_id !== '').map(({ slot, qdev_id }) => [qdev_id, slot])).toEqual([
        ['vda', 4],
        ['vdc', 6],
      ]);
      await expect(detachDisk(qmp, vdc, { timeoutMs: 1_000 })).rejects.toThrow(DetachTimeoutError);
    });
    expect(await stopVm(vm)).toBe('quit');
  });
});
