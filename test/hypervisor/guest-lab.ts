// A test file's bench for booting strata's test guests (built from guests/ by
// scripts/build-guests.sh): a scratch directory, overlays of the guest images, VmSpecs,
// and hooks that stop every VM the file started, even when a test failed half-way.
import { execa } from 'execa';
import { createHash, randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { resolveAccelerator } from '../../hypervisor/accelerator.js';
import { waitForMarker } from '../../hypervisor/console.js';
import { defaultOvmfPaths } from '../../hypervisor/firmware.js';
import { instanceFiles } from '../../hypervisor/instance-files.js';
import type { DiskFormat } from '../../hypervisor/qemu-img.js';
import { createOverlay } from '../../hypervisor/qemu-img.js';
import type { VmHandle } from '../../hypervisor/vm-process.js';
import { isRunning, startVm, stopVm } from '../../hypervisor/vm-process.js';
import type { DiskSpec, VmSpec } from '../../hypervisor/vm-spec.js';
import { biosGuestDone } from './guest-report.js';

const repoRoot = resolve(fileURLToPath(import.meta.url), '../../..');
const buildDir = join(repoRoot, 'guests/build');

export const guestImages = {
  /** 1 MiB raw BIOS boot-sector guest. */
  biosRaw: join(buildDir, 'bios.raw'),
  biosQcow2: join(buildDir, 'bios.qcow2'),
  /** 16 MiB FAT16 ESP with GRUB as EFI/BOOT/BOOTX64.EFI. */
  uefiRaw: join(buildDir, 'uefi.raw'),
};

export const uefiFirmware = { kind: 'uefi', code: defaultOvmfPaths.code, varsTemplate: defaultOvmfPaths.vars } as const;

const biosBootTimeoutMs = 20_000;

export function fileDisk(name: string, path: string, format: DiskFormat, extra: { luksKeyFile?: string } = {}): DiskSpec {
  return { name, source: { kind: 'file', path, format, ...extra } };
}

export async function sha256File(path: string): Promise<string> {
  return createHash('sha256').update(await readFile(path)).digest('hex');
}

/** A directory for the test file, removed after it; returns where a name goes in it. */
export function useScratchDirectory(): (name: string) => string {
  let scratch = '';
  beforeAll(async () => {
    // Under /tmp: short enough for QMP socket paths.
    scratch = await mkdtemp(join(tmpdir(), 'strata-hv-'));
  });
  afterAll(() => rm(scratch, { recursive: true, force: true }));
  return (name) => join(scratch, name);
}

/** Registers the file's hooks; call once at the top of a test file. */
export function useGuestLab() {
  const started = new Set<VmHandle>();
  beforeAll(() => execa('bash', [join(repoRoot, 'scripts/build-guests.sh')], { timeout: 120_000 }));
  const path = useScratchDirectory();
  afterEach(async () => {
    for (const vm of started) await stopVm(vm);
    started.clear();
  });

  const lab = {
    path,

    track(vm: VmHandle): VmHandle {
      started.add(vm);
      return vm;
    },

    /** A qcow2 overlay of a guest image, as the launch path builds vda. */
    async rootDisk(name: string, base = guestImages.biosRaw, baseFormat: DiskFormat = 'raw'): Promise<string> {
      const path = lab.path(`${name}-vda.qcow2`);
      await createOverlay(base, baseFormat, path);
      return path;
    },

    spec(name: string, disks: DiskSpec[], overrides: Partial<VmSpec> = {}): VmSpec {
      return {
        instanceId: randomUUID(),
        name: `strata-test-${name}`,
        runDir: lab.path(name),
        accelerator: resolveAccelerator('auto'),
        memoryMiB: 64,
        vcpus: 1,
        firmware: { kind: 'bios' },
        disks,
        ...overrides,
      };
    },

    /** Starts spec and waits until the BIOS guest has printed its whole report. */
    async boot(spec: VmSpec): Promise<{ vm: VmHandle; console: string; bootMs: number }> {
      const startedAt = performance.now();
      const vm = lab.track(await startVm(spec));
      const console = await waitForMarker(instanceFiles(spec.runDir).consoleLog, biosGuestDone, {
        timeoutMs: biosBootTimeoutMs,
        isRunning: () => isRunning(vm),
      });
      return { vm, console, bootMs: performance.now() - startedAt };
    },

    /** Boots a fresh overlay of the BIOS guest (or of base) with no data disks. */
    async bootFresh(name: string, base?: string, baseFormat?: DiskFormat) {
      const spec = lab.spec(name, [fileDisk('vda', await lab.rootDisk(name, base, baseFormat), 'qcow2')]);
      return { spec, ...(await lab.boot(spec)) };
    },
  };
  return lab;
}
