// The launch bench's baseline: what a launch does, done by hand with nothing around it —
// a qcow2 overlay of the base, QEMU started with the command line the compute host builds
// (buildQemuCommand via startVm, the same VmSpec shape as activities/launch/vm.ts), and a
// wait for the boot marker on the serial log. Returns milliseconds from start to marker.
import { mkdir, rm } from 'node:fs/promises';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { Accelerator } from '../hypervisor/accelerator.js';
import { waitForMarker } from '../hypervisor/console.js';
import { instanceFiles } from '../hypervisor/instance-files.js';
import { createOverlay } from '../hypervisor/qemu-img.js';
import { isRunning, startVm, stopVm } from '../hypervisor/vm-process.js';

export interface ManualBoot {
  base: string;
  /** A directory the run may fill and remove; short, for the QMP socket path. */
  workDir: string;
  marker: string;
  accelerator: Accelerator;
  memoryMiB: number;
  rootDiskBytes: number;
}

export async function bootByHand(boot: ManualBoot): Promise<number> {
  const instanceId = randomUUID();
  const runDir = join(boot.workDir, instanceId);
  await mkdir(runDir, { recursive: true });
  const started = performance.now();
  const rootDisk = join(runDir, 'disk');
  await createOverlay(boot.base, 'raw', rootDisk, boot.rootDiskBytes);
  const vm = await startVm({
    instanceId,
    name: `baseline-${instanceId}`,
    runDir,
    accelerator: boot.accelerator,
    memoryMiB: boot.memoryMiB,
    vcpus: 1,
    firmware: { kind: 'bios' },
    disks: [{ name: 'vda', source: { kind: 'file', path: rootDisk, format: 'qcow2' } }],
  });
  try {
    await waitForMarker(instanceFiles(runDir).consoleLog, boot.marker, { timeoutMs: 30_000, pollMs: 10, isRunning: () => isRunning(vm) });
    return performance.now() - started;
  } finally {
    await stopVm(vm);
    await rm(runDir, { recursive: true, force: true });
  }
}
