// QEMU block-layer options for a disk: secret objects, the blockdev node tree and the
// virtio device. The same objects serve the command line (-object/-blockdev/-device in
// JSON form) and hot-plug over QMP (object-add/blockdev-add/device_add), so a disk looks
// the same whether it was there at boot or attached later.
import type { DiskSpec, FileDiskSource, IscsiDiskSource } from './vm-spec.js';

export type QemuOptions = Record<string, unknown>;

export interface DiskQemuOptions {
  secrets: QemuOptions[];
  blockdev: QemuOptions;
  device: QemuOptions;
}

/** vda sits in this PCI slot, vdb in the next…: BIOS drive order follows slot order. */
const firstDiskPciSlot = 4;
const diskNamePattern = /^vd[a-z]$/;

export function isDiskName(name: string): boolean {
  return diskNamePattern.test(name);
}

export function diskQemuOptions(disk: DiskSpec): DiskQemuOptions {
  if (!isDiskName(disk.name)) throw new Error(`disk name '${disk.name}' is not vd[a-z]`);
  const { secrets, node } = disk.source.kind === 'file' ? fileDisk(disk.name, disk.source) : iscsiDisk(disk.name, disk.source);
  return { secrets, blockdev: node, device: virtioDevice(disk) };
}

/** The protocol node reading a host file, named `<format node>-file`. */
export function fileNode(formatNodeName: string, path: string, readOnly = false): QemuOptions {
  return { driver: 'file', 'node-name': `${formatNodeName}-file`, filename: path, ...(readOnly ? { 'read-only': true } : {}) };
}

export function secretObject(id: string, file: string): QemuOptions {
  return { 'qom-type': 'secret', id, file, format: 'raw' };
}

function fileDisk(name: string, source: FileDiskSource): { secrets: QemuOptions[]; node: QemuOptions } {
  const node: QemuOptions = { driver: source.format, 'node-name': name, file: fileNode(name, source.path) };
  if (source.luksKeyFile === undefined) return { secrets: [], node };
  if (source.format !== 'qcow2') throw new Error(`disk ${name}: LUKS encryption needs a qcow2 disk`);
  const keySecret = `${name}-luks-key`;
  return {
    secrets: [secretObject(keySecret, source.luksKeyFile)],
    node: { ...node, encrypt: { format: 'luks', 'key-secret': keySecret } },
  };
}

function iscsiDisk(name: string, source: IscsiDiskSource): { secrets: QemuOptions[]; node: QemuOptions } {
  const chapSecret = `${name}-chap-password`;
  const target: QemuOptions = {
    driver: 'iscsi',
    'node-name': `${name}-file`,
    transport: 'tcp',
    portal: source.portal,
    target: source.iqn,
    lun: source.lun,
    'initiator-name': source.initiatorName,
    ...(source.chap ? { user: source.chap.user, 'password-secret': chapSecret } : {}),
  };
  return {
    secrets: source.chap ? [secretObject(chapSecret, source.chap.passwordFile)] : [],
    node: { driver: 'raw', 'node-name': name, file: target },
  };
}

function virtioDevice(disk: DiskSpec): QemuOptions {
  const index = disk.name.charCodeAt(2) - 'a'.charCodeAt(0);
  return {
    driver: 'virtio-blk-pci',
    id: disk.name,
    drive: disk.name,
    bus: 'pci.0',
    addr: `0x${(firstDiskPciSlot + index).toString(16)}`,
    // Only vda: a bootindex on data disks would let firmware boot a volume when vda fails.
    ...(index === 0 ? { bootindex: 1 } : {}),
    ...(disk.serial === undefined ? {} : { serial: disk.serial }),
  };
}
