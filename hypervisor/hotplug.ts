// Attaching and detaching disks on a running VM with the same options the command line
// uses (qemu-block.ts), so a hot-plugged vdc sits where a cold-plugged one would.
import type { QmpClient } from './qmp.js';
import { QmpTimeoutError } from './qmp.js';
import { diskQemuOptions } from './qemu-block.js';
import type { DiskSpec } from './vm-spec.js';

export class DetachTimeoutError extends Error {
  override name = 'DetachTimeoutError';
}

/** object-add the disk's secrets, blockdev-add its nodes, device_add it; undone on failure. */
export async function attachDisk(qmp: QmpClient, disk: DiskSpec): Promise<void> {
  const options = diskQemuOptions(disk);
  const undo: (() => Promise<unknown>)[] = [];
  try {
    for (const secret of options.secrets) {
      await qmp.execute('object-add', secret);
      undo.push(() => qmp.execute('object-del', { id: secret.id }));
    }
    await qmp.execute('blockdev-add', options.blockdev);
    undo.push(() => qmp.execute('blockdev-del', { 'node-name': disk.name }));
    await qmp.execute('device_add', options.device);
  } catch (error) {
    for (const step of undo.reverse()) await step().catch(() => undefined);
    throw error;
  }
}

/**
 * device_del needs the guest's cooperation (ACPI eject); only after DEVICE_DELETED can
 * the nodes and secrets go. A guest that never answers leaves the disk attached.
 */
export async function detachDisk(qmp: QmpClient, disk: DiskSpec, { timeoutMs = 10_000 } = {}): Promise<void> {
  const options = diskQemuOptions(disk);
  try {
    await qmp.executeAndWaitForEvent('device_del', { id: disk.name }, ['DEVICE_DELETED'], {
      timeoutMs,
      where: (event) => event.data.device === disk.name,
    });
  } catch (error) {
    if (!(error instanceof QmpTimeoutError)) throw error;
    throw new DetachTimeoutError(`the guest did not release ${disk.name} within ${timeoutMs} ms; detach it with the VM stopped`);
  }
  await qmp.execute('blockdev-del', { 'node-name': disk.name });
  for (const secret of options.secrets) await qmp.execute('object-del', { id: secret.id });
}
