// The sidecar `<base>.info` the cache keeps next to each base: which image it holds (the
// file name is a one-way hash), the checksum it was verified against and the file's stat
// fingerprint at that moment, and when a launch last used it.
import type { Stats } from 'node:fs';
import { readFile, rename, stat, writeFile } from 'node:fs/promises';
import { z } from 'zod';

const fingerprintSchema = z.object({ size: z.number(), mtimeMs: z.number(), ctimeMs: z.number(), ino: z.number() });
export type Fingerprint = z.infer<typeof fingerprintSchema>;

const baseInfoSchema = z.object({
  imageId: z.string(),
  format: z.enum(['raw', 'qcow2']),
  virtualSizeBytes: z.number(),
  digest: z.object({ algorithm: z.enum(['sha512', 'md5']), value: z.string() }),
  fingerprint: fingerprintSchema,
  verifiedAt: z.string(),
  lastUsedAt: z.string(),
});
export type BaseInfo = z.infer<typeof baseInfoSchema>;

export function fingerprintOf(stats: Stats): Fingerprint {
  return { size: stats.size, mtimeMs: stats.mtimeMs, ctimeMs: stats.ctimeMs, ino: stats.ino };
}

/** Any write to the file changes ctime (which no one can set back), so equal fingerprints mean unwritten. */
export function sameFingerprint(a: Fingerprint, b: Fingerprint): boolean {
  return a.size === b.size && a.mtimeMs === b.mtimeMs && a.ctimeMs === b.ctimeMs && a.ino === b.ino;
}

export async function statFingerprint(path: string): Promise<Fingerprint | undefined> {
  try {
    return fingerprintOf(await stat(path));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** The sidecar, or undefined when it is missing or unreadable (the base is then re-verified). */
export async function readBaseInfo(path: string): Promise<BaseInfo | undefined> {
  try {
    return baseInfoSchema.parse(JSON.parse(await readFile(path, 'utf8')));
  } catch {
    return undefined;
  }
}

/** Written aside and renamed, so a reader never sees half of it. */
export async function writeBaseInfo(path: string, info: BaseInfo): Promise<void> {
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, JSON.stringify(info, null, 2));
  await rename(temporary, path);
}
