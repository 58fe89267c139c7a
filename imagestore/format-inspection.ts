// Recognizes an image's format from its bytes (never trusting the declared disk_format),
// finds its virtual size, and flags what could make a hypervisor read other files: a
// qcow2 backing file or external data file, a VMDK whose extents live elsewhere, a
// differencing VHD or VHDX. Only headers are read.
import type { ImageFile } from './image-file.js';
import { inspectVhdx } from './vhdx.js';

export type DetectedFormat = 'qcow2' | 'vmdk' | 'vhd' | 'vhdx' | 'vdi' | 'iso' | 'raw';

export interface FormatReport {
  format: DetectedFormat;
  virtualSize: number | null;
  /** Why the image must be refused whatever its declared format; null when safe. */
  unsafe: string | null;
}

const QCOW2_EXTERNAL_DATA_FILE_BIT = 0b100n;
const QCOW2_DATA_FILE_EXTENSION = 0x44415441;
const VDI_SIGNATURE = 0xbeda107f;
const VHD_DIFFERENCING = 4;
const ISO_DESCRIPTOR = 16 * 2048;
const SAFE_VMDK_TYPES = new Set(['monolithicSparse', 'streamOptimized']);

function u64be(buffer: Buffer, at: number): bigint {
  return at + 8 <= buffer.length ? buffer.readBigUInt64BE(at) : 0n;
}

async function inspectQcow2(file: ImageFile, header: Buffer): Promise<FormatReport> {
  const version = header.readUInt32BE(4);
  const report: FormatReport = { format: 'qcow2', virtualSize: Number(u64be(header, 24)), unsafe: null };
  if (u64be(header, 8) !== 0n) return { ...report, unsafe: 'qcow2 image has a backing file' };
  if (version < 3) return report;
  if ((u64be(header, 72) & QCOW2_EXTERNAL_DATA_FILE_BIT) !== 0n) return { ...report, unsafe: 'qcow2 image has an external data file' };
  // Header extensions follow the header: { type, length, data padded to 8 }, ending at type 0.
  const extensions = await file.read(header.readUInt32BE(100), 64 * 1024);
  for (let at = 0; at + 8 <= extensions.length; ) {
    const type = extensions.readUInt32BE(at);
    if (type === 0) break;
    if (type === QCOW2_DATA_FILE_EXTENSION) return { ...report, unsafe: 'qcow2 image names an external data file' };
    at += 8 + Math.ceil(extensions.readUInt32BE(at + 4) / 8) * 8;
  }
  return report;
}

async function inspectVmdk(file: ImageFile, header: Buffer): Promise<FormatReport> {
  const capacity = Number(header.readBigUInt64LE(12)) * 512;
  const descriptor = await file.read(Number(header.readBigUInt64LE(28)) * 512, Number(header.readBigUInt64LE(36)) * 512);
  const createType = /createType\s*=\s*"([^"]*)"/.exec(descriptor.toString('latin1'))?.[1] ?? 'monolithicSparse';
  const unsafe = SAFE_VMDK_TYPES.has(createType) ? null : `VMDK type ${createType} keeps its data in other files`;
  return { format: 'vmdk', virtualSize: capacity, unsafe };
}

function vhdFooter(footer: Buffer): FormatReport {
  const unsafe = footer.readUInt32BE(60) === VHD_DIFFERENCING ? 'VHD is a differencing disk with a parent file' : null;
  return { format: 'vhd', virtualSize: Number(u64be(footer, 48)), unsafe };
}

export async function inspectFormat(file: ImageFile): Promise<FormatReport> {
  const header = await file.read(0, 512);
  const magic = (length: number) => header.toString('latin1', 0, length);
  if (header.length >= 104 && magic(4) === 'QFI\xfb') return inspectQcow2(file, header);
  if (header.length >= 44 && magic(4) === 'KDMV') return inspectVmdk(file, header);
  if (magic(21) === '# Disk DescriptorFile') return { format: 'vmdk', virtualSize: null, unsafe: 'VMDK descriptor file refers to extents in other files' };
  if (magic(8) === 'vhdxfile') {
    const facts = await inspectVhdx(file);
    return { format: 'vhdx', virtualSize: facts.virtualSize, unsafe: facts.hasParent ? 'VHDX is a differencing disk with a parent file' : null };
  }
  if (header.length >= 376 && header.readUInt32LE(64) === VDI_SIGNATURE) return { format: 'vdi', virtualSize: Number(header.readBigUInt64LE(368)), unsafe: null };
  if (header.length >= 512 && magic(8) === 'conectix') return vhdFooter(header);
  const footer = await file.read(file.size - 512, 512);
  if (footer.length === 512 && footer.toString('latin1', 0, 8) === 'conectix') return vhdFooter(footer);
  const descriptor = await file.read(ISO_DESCRIPTOR, 2048);
  if (descriptor.length >= 130 && descriptor.toString('latin1', 1, 6) === 'CD001') {
    return { format: 'iso', virtualSize: descriptor.readUInt32LE(80) * descriptor.readUInt16LE(128), unsafe: null };
  }
  return { format: 'raw', virtualSize: file.size, unsafe: null };
}
