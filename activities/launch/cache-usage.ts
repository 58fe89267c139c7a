// Which instances on this host use which base. An instance uses a base once its launch
// has asked for it (a use record, written before the base is ensured, so a prune can
// never remove a base between the cache handing it out and the overlay naming it) and
// while its root disk names it as backing file (Nova's rule).
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import { z } from 'zod';
import { info } from '../../hypervisor/qemu-img.js';
import type { HostLayout } from './host-layout.js';

const cacheUseSchema = z.object({ imageId: z.string(), base: z.string() });

export async function recordCacheUse(layout: HostLayout, instanceId: string, imageId: string): Promise<void> {
  const paths = layout.instance(instanceId);
  await mkdir(paths.dir, { recursive: true, mode: 0o700 });
  await writeFile(paths.cacheUse, JSON.stringify({ imageId, base: layout.base(imageId).name }));
}

async function instanceIds(layout: HostLayout): Promise<string[]> {
  try {
    return await readdir(layout.instancesDir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

async function recordedBase(layout: HostLayout, instanceId: string): Promise<string | undefined> {
  try {
    return cacheUseSchema.parse(JSON.parse(await readFile(layout.instance(instanceId).cacheUse, 'utf8'))).base;
  } catch {
    return undefined;
  }
}

async function backingBase(layout: HostLayout, instanceId: string): Promise<string | undefined> {
  try {
    // forceShare: a running QEMU holds the disk's write lock.
    const backing = (await info(layout.instance(instanceId).rootDisk, { format: 'qcow2', forceShare: true })).backingFilename;
    return backing !== undefined && dirname(backing) === layout.baseDir ? basename(backing) : undefined;
  } catch {
    return undefined;
  }
}

/** Base name → ids of the instances using it. With `withBackingFiles`, also reads every root disk's backing file (qemu-img per instance). */
export async function cacheUsers(layout: HostLayout, { withBackingFiles }: { withBackingFiles: boolean }): Promise<Map<string, string[]>> {
  const users = new Map<string, string[]>();
  for (const instanceId of await instanceIds(layout)) {
    const bases = new Set([await recordedBase(layout, instanceId), withBackingFiles ? await backingBase(layout, instanceId) : undefined]);
    for (const base of bases) if (base !== undefined) users.set(base, [...(users.get(base) ?? []), instanceId]);
  }
  return users;
}
