// What a VM is made of, as the compute activities describe it to the driver. Every path
// is absolute: a daemonized QEMU changes its working directory to /.
import type { Accelerator } from './accelerator.js';

export interface VmSpec {
  /** Nova's instance UUID: QEMU's -uuid, the SMBIOS serial and the fw_cfg instance id. */
  instanceId: string;
  /** Human-readable name (QEMU -name). */
  name: string;
  /** Per-instance directory holding the pidfile, QMP socket, console log and UEFI vars. */
  runDir: string;
  accelerator: Accelerator;
  memoryMiB: number;
  vcpus: number;
  firmware: Firmware;
  /** vda boots; data disks follow (vdb ephemeral, vdc volume). Names are vd[a-z]. */
  disks: DiskSpec[];
}

export type Firmware =
  | { kind: 'bios' }
  /** The instance gets its own copy of varsTemplate in its runDir on first start. */
  | { kind: 'uefi'; code: string; varsTemplate: string };

export interface DiskSpec {
  /** vda, vdb, vdc …: node name, device id and PCI slot all follow from it. */
  name: string;
  source: FileDiskSource | IscsiDiskSource;
  /** Shown to the guest as the virtio serial (Nova passes the volume id). */
  serial?: string;
}

export interface FileDiskSource {
  kind: 'file';
  path: string;
  format: 'raw' | 'qcow2';
  /** A qcow2 encrypted with LUKS under the passphrase in this file (UTF-8 text, mode 0600). */
  luksKeyFile?: string;
}

export interface IscsiDiskSource {
  kind: 'iscsi';
  /** host:port of the target portal. */
  portal: string;
  /** Target IQN. */
  iqn: string;
  lun: number;
  /** This compute host's initiator IQN (targets bind ACLs to it). */
  initiatorName: string;
  /** CHAP; the password is read from a file so it never shows in argv, URLs or query-block. */
  chap?: { user: string; passwordFile: string };
}
