// Attaching and detaching disks on a running VM with the same options the command line
// uses (qemu-block.ts), so a hot-plugged vdc sits where a cold-plugged one would.
import { waitUntil } from '../runtime/wait.js';
import type { QmpClient } from './qmp.js';
import { QmpTimeoutError } from './qmp.js';
import { diskQemuOptions } from './qemu-block.js';
import type { VmHandle } from './vm-process.js';
import { withQmp } from './vm-process.js';
import type { DiskSpec } from './vm-spec.js';

export class DetachTimeoutError extends Error {
  override name = 'DetachTimeoutError';
}

function detachTimeout(name: string, timeoutMs: number): DetachTimeoutError {
  return new DetachTimeoutError(`the guest did not release ${name} within ${timeoutMs} ms; detach it with the VM stopped`);
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
 * Holds the connection (QEMU's only monitor) for the whole wait: see unplugDisk.
 */
export async function detachDisk(qmp: QmpClient, disk: DiskSpec, { timeoutMs = 10_000 } = {}): Promise<void> {
  try {
    await qmp.executeAndWaitForEvent('device_del', { id: disk.name }, ['DEVICE_DELETED'], {
      timeoutMs,
      where: (event) => event.data.device === disk.name,
    });
  } catch (error) {
    if (!(error instanceof QmpTimeoutError)) throw error;
    throw detachTimeout(disk.name, timeoutMs);
  }
  await removeDiskNodes(qmp, disk);
}

async function removeDiskNodes(qmp: QmpClient, disk: DiskSpec): Promise<void> {
  await qmp.execute('blockdev-del', { 'node-name': disk.name });
  for (const secret of diskQemuOptions(disk).secrets) await qmp.execute('object-del', { id: secret.id });
}

/** Whether QEMU has a device of this id (a retried attach or detach finds its own work). */
export async function hasDevice(qmp: QmpClient, id: string): Promise<boolean> {
  try {
    await qmp.execute('qom-get', { path: `/machine/peripheral/${id}`, property: 'type' });
    return true;
  } catch {
    return false;
  }
}

/**
 * detachDisk for a long wait: asks for the unplug, then polls with short connections
 * rather than holding QEMU's one monitor while the guest takes its time (a guest that
 * only lets go when it reboots may be rebooted over QMP meanwhile). Nothing to do when
 * the device is already gone; its nodes are removed once the guest released it.
 */
export async function unplugDisk(vm: VmHandle, disk: DiskSpec, { timeoutMs = 60_000, intervalMs = 500 } = {}): Promise<void> {
  const present = await withQmp(vm, async (qmp) => {
    if (!(await hasDevice(qmp, disk.name))) return false;
    await qmp.execute('device_del', { id: disk.name });
    return true;
  });
  if (present) {
    try {
      await waitUntil(`the guest to release ${disk.name}`, async () => !(await withQmp(vm, (qmp) => hasDevice(qmp, disk.name))), { timeoutMs, intervalMs });
    } catch {
      throw detachTimeout(disk.name, timeoutMs);
    }
  }
  // blockdev-del fails for nodes already gone (an earlier try removed them): that is the goal.
  await withQmp(vm, (qmp) => removeDiskNodes(qmp, disk)).catch(() => undefined);
}
