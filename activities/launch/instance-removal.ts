// Removing an instance from its host: QEMU stopped (ACPI power-down within graceMs, then
// quit, then kill), the ephemeral disk wiped per the clear mode and its key destroyed,
// then the directory removed. The delete and a launch's compensation (destroyInstance)
// and the orphan reaper all remove an instance this one way.
import { rm } from 'node:fs/promises';
import { adoptVm, stopVm } from '../../hypervisor/vm-process.js';
import type { WipeMode } from './disk-wipe.js';
import { wipeFile } from './disk-wipe.js';
import type { InstancePaths } from './host-layout.js';

export interface InstanceRemoval {
  clear: WipeMode;
  graceMs: number;
  /** Called once the instance's disks are wiped, just before its directory is removed (tests read the wiped blocks here). */
  beforeRemove?: (paths: InstancePaths) => Promise<void>;
}

export async function removeInstance(paths: InstancePaths, { clear, graceMs, beforeRemove }: InstanceRemoval): Promise<void> {
  const vm = await adoptVm(paths.dir);
  if (vm) await stopVm(vm, { graceMs });
  await wipeFile(paths.ephemeralDisk, clear);
  // Without its key, an encrypted disk's blocks are noise whatever the clear mode.
  await wipeFile(paths.ephemeralKey, 'zero');
  await beforeRemove?.(paths);
  await rm(paths.dir, { recursive: true, force: true });
}
