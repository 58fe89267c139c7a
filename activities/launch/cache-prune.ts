// Listing and pruning a host's image cache. Pruning removes a base only when no instance
// on this host uses it and its last use is older than the minimum age (Nova's
// remove_unused_original_minimum_age_seconds), plus leftovers (`.part` downloads, `.linked` store files) no live download
// holds. Each removal happens under the base's lock, after re-reading the use records,
// so it never races a launch that is ensuring the same base.
import { readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { readBaseInfo } from './base-info.js';
import { cacheUsers } from './cache-usage.js';
import { FileLock, lockHolder } from './file-lock.js';
import type { HostLayout } from './host-layout.js';
import { BASE_NAME } from './host-layout.js';

export interface CachedBase {
  /** sha1 of the image id: the file name in `_base/`. */
  name: string;
  path: string;
  /** From the sidecar; null when it is missing (the base is then verified on its next use). */
  imageId: string | null;
  format: string | null;
  sizeBytes: number;
  virtualSizeBytes: number | null;
  lastUsedAt: string;
  verifiedAt: string | null;
  inUseBy: string[];
}

export interface PartialDownload {
  name: string;
  /** Name of the base it will become. */
  base: string;
  path: string;
  bytes: number;
  modifiedAt: string;
  /** Pid of the process downloading it now, or null when it was left by an interrupted one. */
  downloadingPid: number | null;
}

export interface CacheListing {
  baseDir: string;
  bases: CachedBase[];
  partials: PartialDownload[];
}

export interface PruneResult {
  removed: Array<{ name: string; imageId: string | null; sizeBytes: number; reason: 'unused' | 'partial' }>;
  kept: Array<{ name: string; imageId: string | null; reason: 'in-use' | 'recently-used' | 'busy' }>;
}

async function baseDirEntries(layout: HostLayout): Promise<string[]> {
  try {
    return (await readdir(layout.baseDir)).sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

/** The base name a leftover (a `.part` download, a `.linked` store file not yet verified) belongs to, or null for any other entry. */
function baseOfLeftover(entry: string): string | null {
  const match = /^([0-9a-f]{40})\.(part|linked)$/.exec(entry);
  return match?.[1] ?? null;
}

function olderThan(time: string, minAgeSeconds: number, now: Date): boolean {
  return now.getTime() - Date.parse(time) >= minAgeSeconds * 1000;
}

async function describeBase(layout: HostLayout, name: string, users: Map<string, string[]>): Promise<CachedBase | null> {
  const files = layout.baseFiles(name);
  const stats = await stat(files.file).catch(() => null);
  if (!stats) return null;
  const info = await readBaseInfo(files.info);
  return {
    name,
    path: files.file,
    imageId: info?.imageId ?? null,
    format: info?.format ?? null,
    sizeBytes: stats.size,
    virtualSizeBytes: info?.virtualSizeBytes ?? null,
    lastUsedAt: info?.lastUsedAt ?? stats.mtime.toISOString(),
    verifiedAt: info?.verifiedAt ?? null,
    inUseBy: users.get(name) ?? [],
  };
}

export async function listCache(layout: HostLayout): Promise<CacheListing> {
  const names = await baseDirEntries(layout);
  const users = await cacheUsers(layout, { withBackingFiles: true });
  const bases: CachedBase[] = [];
  for (const name of names.filter((entry) => BASE_NAME.test(entry))) {
    const base = await describeBase(layout, name, users);
    if (base) bases.push(base);
  }
  const partials: PartialDownload[] = [];
  for (const name of names) {
    const base = baseOfLeftover(name);
    if (base === null) continue;
    const files = layout.baseFiles(base);
    const path = join(layout.baseDir, name);
    const stats = await stat(path).catch(() => null);
    if (stats) partials.push({ name, base, path, bytes: stats.size, modifiedAt: stats.mtime.toISOString(), downloadingPid: await lockHolder(files.lock) });
  }
  return { baseDir: layout.baseDir, bases, partials };
}

/** Runs work under the base's lock, or returns false when a download or another prune holds it. */
async function whileLocked(layout: HostLayout, name: string, work: () => Promise<void>): Promise<boolean> {
  const lock = await FileLock.tryAcquire(layout.baseFiles(name).lock);
  if (!lock) return false;
  try {
    await work();
    return true;
  } finally {
    await lock.release();
  }
}

export async function pruneCache(layout: HostLayout, { minAgeSeconds, now = new Date() }: { minAgeSeconds: number; now?: Date }): Promise<PruneResult> {
  const result: PruneResult = { removed: [], kept: [] };
  const listing = await listCache(layout);
  for (const base of listing.bases) {
    const { name, imageId } = base;
    const locked = await whileLocked(layout, name, async () => {
      // A launch may have recorded its use since the listing: read the records again.
      const recordedUsers = (await cacheUsers(layout, { withBackingFiles: false })).get(name) ?? [];
      if (base.inUseBy.length > 0 || recordedUsers.length > 0) {
        result.kept.push({ name, imageId, reason: 'in-use' });
      } else if (!olderThan(base.lastUsedAt, minAgeSeconds, now)) {
        result.kept.push({ name, imageId, reason: 'recently-used' });
      } else {
        const files = layout.baseFiles(name);
        await Promise.all([rm(files.file, { force: true }), rm(files.info, { force: true })]);
        result.removed.push({ name, imageId, sizeBytes: base.sizeBytes, reason: 'unused' });
      }
    });
    if (!locked) result.kept.push({ name, imageId, reason: 'busy' });
  }
  // A recent `.part` may be resumed by a retried launch: only old leftovers go.
  for (const partial of listing.partials.filter((each) => olderThan(each.modifiedAt, minAgeSeconds, now))) {
    await whileLocked(layout, partial.base, async () => {
      await rm(partial.path, { force: true });
      result.removed.push({ name: partial.name, imageId: null, sizeBytes: partial.bytes, reason: 'partial' });
    });
  }
  return result;
}
