// What a compute host offers: capacity, accelerator, UEFI firmware and QEMU version,
// read from the machine itself.
import { execa } from 'execa';
import { mkdirSync, statfsSync } from 'node:fs';
import { availableParallelism, totalmem } from 'node:os';
import { resolveAccelerator, type AcceleratorSetting } from '../hypervisor/accelerator.js';
import { detectFirmware } from '../hypervisor/firmware.js';

export interface HostFacts {
  host: string;
  availabilityZone: string;
  vcpus: number;
  memoryMb: number;
  /** Free space where the host keeps instance disks and its image cache. */
  diskGb: number;
  accelerator: 'kvm' | 'tcg';
  uefi: { available: boolean; detail: string };
  qemuVersion: string;
}

export interface HostProbeDependencies {
  host: string;
  availabilityZone: string;
  stateDir: string;
  accelerator: AcceleratorSetting;
  ovmf: { code: string; vars: string };
}

export function createHostProbeActivities(deps: HostProbeDependencies) {
  return {
    async describeHost(): Promise<HostFacts> {
      mkdirSync(deps.stateDir, { recursive: true });
      const disk = statfsSync(deps.stateDir);
      const firmware = detectFirmware(deps.ovmf);
      const { stdout } = await execa('qemu-system-x86_64', ['--version']);
      return {
        host: deps.host,
        availabilityZone: deps.availabilityZone,
        vcpus: availableParallelism(),
        memoryMb: Math.floor(totalmem() / 2 ** 20),
        diskGb: Math.floor((disk.bavail * disk.bsize) / 2 ** 30),
        accelerator: resolveAccelerator(deps.accelerator),
        uefi: firmware.available ? { available: true, detail: firmware.code } : { available: false, detail: firmware.hint },
        qemuVersion: stdout.split('\n')[0] ?? '',
      };
    },
  };
}

export type HostProbeActivities = ReturnType<typeof createHostProbeActivities>;
