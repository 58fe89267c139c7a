// Thin wrappers over qemu-img. Formats are always stated (-f/-F): letting qemu-img
// probe a user's raw image could read it as qcow2 and follow a backing file it names.
import { execa } from 'execa';
import { resolve } from 'node:path';
import { z } from 'zod';
import { secretObject } from './qemu-block.js';

export type DiskFormat = 'raw' | 'qcow2';

export class QemuImgError extends Error {
  override name = 'QemuImgError';
}

const quickTimeoutMs = 30_000;
/**
 * PBKDF time per LUKS key slot. strata's passphrases are random secrets, not words a
 * person chose, so stretching adds no strength and only slows every boot's unlock.
 */
const luksIterTimeMs = 100;
/**
 * qemu-img calibrates PBKDF speed with thread CPU time, which some kernels report as 0
 * for a short run ("Unable to get accurate CPU usage", about every other try here).
 */
const luksCalibrationAttempts = 10;

/** A qcow2 copy-on-write overlay of base; base is never written. */
export async function createOverlay(base: string, baseFormat: DiskFormat, disk: string, sizeBytes?: number): Promise<void> {
  // An absolute backing path keeps the overlay valid whichever directory opens it.
  const size = sizeBytes === undefined ? [] : [String(sizeBytes)];
  await qemuImg(['create', '-q', '-f', 'qcow2', '-b', resolve(base), '-F', baseFormat, disk, ...size]);
}

export interface CreateDiskOptions {
  format: DiskFormat;
  /** Encrypt with LUKS (qcow2 only) under the passphrase in this file (UTF-8 text; QEMU rejects other bytes). */
  luksKeyFile?: string;
}

export async function createDisk(path: string, sizeBytes: number, options: CreateDiskOptions): Promise<void> {
  const target = ['-f', options.format, path, String(sizeBytes)];
  if (options.luksKeyFile === undefined) {
    await qemuImg(['create', '-q', ...target]);
    return;
  }
  if (options.format !== 'qcow2') throw new QemuImgError(`LUKS encryption needs a qcow2 disk, not ${options.format}`);
  const args = [
    'create', '-q',
    '--object', JSON.stringify(secretObject('luks-key', options.luksKeyFile)),
    '-o', `encrypt.format=luks,encrypt.key-secret=luks-key,encrypt.iter-time=${luksIterTimeMs}`,
    ...target,
  ];
  for (let attempt = 1; ; attempt++) {
    try {
      await qemuImg(args);
      return;
    } catch (error) {
      const calibrationFailed = error instanceof QemuImgError && error.message.includes('Unable to get accurate CPU usage');
      if (!calibrationFailed || attempt >= luksCalibrationAttempts) throw error;
    }
  }
}

const imageInfoSchema = z.object({
  format: z.string(),
  'virtual-size': z.number(),
  'actual-size': z.number().optional(),
  'backing-filename': z.string().optional(),
  'backing-filename-format': z.string().optional(),
  encrypted: z.boolean().optional(),
  'dirty-flag': z.boolean().optional(),
  'format-specific': z.object({ data: z.object({ 'data-file': z.string().optional() }).loose().optional() }).loose().optional(),
});

export interface ImageInfo {
  format: string;
  virtualSize: number;
  actualSize: number | undefined;
  backingFilename: string | undefined;
  backingFormat: string | undefined;
  /** qcow2 external data file: an image naming one can make qemu read any host file. */
  dataFile: string | undefined;
  encrypted: boolean;
}

export interface InfoOptions {
  /** The expected format; omitting it lets qemu-img probe, which is unsafe for untrusted images. */
  format?: DiskFormat;
  /** Read an image a running VM holds open (QEMU's write lock would refuse otherwise). */
  forceShare?: boolean;
}

export async function info(path: string, options: InfoOptions = {}): Promise<ImageInfo> {
  const args = ['info', '--output=json', ...(options.format ? ['-f', options.format] : []), ...(options.forceShare ? ['--force-share'] : [])];
  const raw = imageInfoSchema.parse(JSON.parse(await qemuImg([...args, path])));
  return {
    format: raw.format,
    virtualSize: raw['virtual-size'],
    actualSize: raw['actual-size'],
    backingFilename: raw['backing-filename'],
    backingFormat: raw['backing-filename-format'],
    dataFile: raw['format-specific']?.data?.['data-file'],
    encrypted: raw.encrypted ?? false,
  };
}

export interface ConvertOptions {
  source: string;
  sourceFormat: DiskFormat;
  target: string;
  targetFormat: DiskFormat;
  /** qcow2 compression: smaller snapshots and uploads, slower to write. */
  compress?: boolean;
  timeoutMs?: number;
}

/** Writes a standalone copy of source (its whole backing chain flattened) to target. */
export async function convert(options: ConvertOptions): Promise<void> {
  const compress = options.compress ? ['-c'] : [];
  const args = ['convert', '-f', options.sourceFormat, '-O', options.targetFormat, ...compress, options.source, options.target];
  await qemuImg(args, options.timeoutMs ?? 10 * 60_000);
}

const checkSchema = z.object({
  'check-errors': z.number(),
  corruptions: z.number().optional(),
  leaks: z.number().optional(),
});

export type CheckResult = { supported: false } | { supported: true; clean: boolean; corruptions: number; leaks: number; checkErrors: number };

/** qemu-img check: exit 0 clean, 2 corruptions, 3 leaked clusters, 63 format has no check. */
export async function check(path: string, format: DiskFormat): Promise<CheckResult> {
  const result = await execa('qemu-img', ['check', '--output=json', '-f', format, path], { reject: false, timeout: quickTimeoutMs });
  if (result.exitCode === 63) return { supported: false };
  if (![0, 2, 3].includes(result.exitCode ?? -1)) throw new QemuImgError(`qemu-img check ${path} failed: ${result.stderr || result.message}`);
  const raw = checkSchema.parse(JSON.parse(result.stdout));
  const corruptions = raw.corruptions ?? 0;
  const leaks = raw.leaks ?? 0;
  return { supported: true, clean: corruptions + leaks + raw['check-errors'] === 0, corruptions, leaks, checkErrors: raw['check-errors'] };
}

async function qemuImg(args: string[], timeoutMs = quickTimeoutMs): Promise<string> {
  const result = await execa('qemu-img', args, { reject: false, timeout: timeoutMs });
  if (result.failed) throw new QemuImgError(`qemu-img ${args[0]} failed: ${result.stderr || result.message}`);
  return result.stdout;
}
