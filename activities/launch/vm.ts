// The VM an instance runs as: the flavor's vCPUs and RAM, the host's accelerator, vda
// (and vdb when the flavor has ephemeral space, vdc… for its volumes; vda is a volume
// when it boots from one), and the firmware the image asks for
// (`hw_firmware_type=uefi` → OVMF with the instance's own copy of the variable store).
// QEMU's run files (pidfile, QMP socket, console log, UEFI vars) live in the instance's
// directory, so any later worker finds the VM again.
import type { InstanceRequest } from '../../domain/compute/instance.js';
import type { Accelerator } from '../../hypervisor/accelerator.js';
import type { OvmfPaths } from '../../hypervisor/firmware.js';
import { detectFirmware } from '../../hypervisor/firmware.js';
import type { DiskSpec, Firmware, VmSpec } from '../../hypervisor/vm-spec.js';
import { HostUnfitError } from './failures.js';
import type { InstancePaths } from './host-layout.js';
import { pathExists } from './path-exists.js';
import { volumeDisksOf } from './volume-host.js';

export interface VmSettings {
  accelerator: Accelerator;
  ovmf: OvmfPaths;
}

function firmwareFor(request: InstanceRequest, ovmf: OvmfPaths): Firmware {
  if (request.image.properties.hw_firmware_type !== 'uefi') return { kind: 'bios' };
  const firmware = detectFirmware(ovmf);
  if (!firmware.available) {
    throw new HostUnfitError(`Image ${request.image.id} needs UEFI (hw_firmware_type=uefi), but this host cannot provide it: ${firmware.problem}. Administrator: ${firmware.hint}.`);
  }
  return { kind: 'uefi', code: firmware.code, varsTemplate: firmware.vars };
}

export async function vmSpecFor(request: InstanceRequest, paths: InstancePaths, settings: VmSettings): Promise<VmSpec> {
  // Volumes the launch (or a hot-plug) wrote into the directory; a volume named vda is the root disk (boot from volume).
  const volumes = await volumeDisksOf(paths.dir);
  const rootVolume = volumes.find((disk) => disk.name === 'vda');
  const disks: DiskSpec[] = [rootVolume ?? { name: 'vda', source: { kind: 'file', path: paths.rootDisk, format: 'qcow2' } }];
  if (request.flavor.ephemeralGb > 0) {
    // The key file, not today's setting, says whether the disk was created encrypted.
    const luksKeyFile = (await pathExists(paths.ephemeralKey)) ? paths.ephemeralKey : undefined;
    disks.push({ name: 'vdb', source: { kind: 'file', path: paths.ephemeralDisk, format: 'qcow2', ...(luksKeyFile ? { luksKeyFile } : {}) } });
  }
  disks.push(...volumes.filter((disk) => disk !== rootVolume));
  return {
    instanceId: request.instanceId,
    name: request.name,
    runDir: paths.dir,
    accelerator: settings.accelerator,
    memoryMiB: request.flavor.ramMb,
    vcpus: request.flavor.vcpus,
    firmware: firmwareFor(request, settings.ovmf),
    disks,
  };
}
