// Listing and pruning a host's image cache on real files: only bases no instance uses
// and whose last use is older than the minimum age go, with interrupted downloads no live
// process holds; `strata cache --local` does the same from the command line.
import { randomUUID } from 'node:crypto';
import { readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { listCache, pruneCache } from '../../activities/launch/cache-prune.js';
import { FileLock } from '../../activities/launch/file-lock.js';
import type { HostLayout } from '../../activities/launch/host-layout.js';
import { hostLayout } from '../../activities/launch/host-layout.js';
import { cacheCommand } from '../../cli/commands/cache.js';
import { validateConfig } from '../../config/load.js';
import type { ImageSnapshot } from '../../domain/compute/instance.js';
import { createDisk } from '../../hypervisor/qemu-img.js';
import { fileImageSource, imageOf, runActivity, useHostLab } from './host-lab.js';

const lab = useHostLab();
const day = 24 * 60 * 60;
const twoDaysAgo = new Date(Date.now() - 2 * day * 1000);

afterEach(() => {
  vi.restoreAllMocks();
});

/** Four distinct small raw images, and a host with all of them as sources. */
async function cacheWithImages(hostDir?: string) {
  const images: ImageSnapshot[] = [];
  const files = new Map<string, string>();
  for (let index = 0; index < 4; index++) {
    const path = lab.path(`image-${randomUUID().slice(0, 8)}.raw`);
    await createDisk(path, 1024 * 1024, { format: 'raw' });
    await writeFile(path, `image number ${index}`, { flag: 'r+' });
    const image = await imageOf(path, 'raw');
    images.push(image);
    files.set(image.id, path);
  }
  const host = lab.host({ source: fileImageSource(files).source, ...(hostDir ? { layout: hostLayout(hostDir) } : {}) });
  return { ...host, images };
}

/** Makes a base look last used two days ago. */
async function ageBase(layout: HostLayout, image: ImageSnapshot): Promise<void> {
  const infoPath = layout.base(image.id).info;
  const info = JSON.parse(await readFile(infoPath, 'utf8')) as Record<string, unknown>;
  await writeFile(infoPath, JSON.stringify({ ...info, lastUsedAt: twoDaysAgo.toISOString() }));
}

describe('image cache pruning', () => {
  it('removes only old bases no instance uses, and old partial downloads no live process holds', async () => {
    const { layout, activities, images } = await cacheWithImages();
    const [used, usedByBackingOnly, unusedOld, unusedRecent] = images as [ImageSnapshot, ImageSnapshot, ImageSnapshot, ImageSnapshot];
    const instanceOf = new Map<ImageSnapshot, string>();
    for (const image of images) {
      const request = await lab.request(image);
      instanceOf.set(image, request.instanceId);
      const { result: base } = await runActivity(activities.ensureImageCached, [lab.step(request.instanceId, 'ensureImageCached'), image]);
      if (image === used || image === usedByBackingOnly) await runActivity(activities.createRootDisk, [lab.step(request.instanceId, 'createRootDisk'), request, base]);
      else await runActivity(activities.destroyInstance, [lab.step(request.instanceId, 'destroyInstance')]);
      await ageBase(layout, image);
    }
    // An instance whose use record is lost still uses the base its root disk names (Nova's rule).
    await rm(layout.instance(instanceOf.get(usedByBackingOnly) as string).cacheUse);
    await writeFile(layout.base(unusedRecent.id).info, (await readFile(layout.base(unusedRecent.id).info, 'utf8')).replace(twoDaysAgo.toISOString(), new Date().toISOString()));
    const interrupted = layout.baseFiles('a'.repeat(40)).part;
    const downloading = layout.baseFiles('b'.repeat(40));
    await writeFile(interrupted, Buffer.alloc(4096));
    await writeFile(downloading.part, Buffer.alloc(4096));
    await Promise.all([utimes(interrupted, twoDaysAgo, twoDaysAgo), utimes(downloading.part, twoDaysAgo, twoDaysAgo)]);
    const liveDownload = await FileLock.tryAcquire(downloading.lock);

    const listing = await listCache(layout);
    expect(listing.bases.map((base) => [base.imageId, base.inUseBy])).toEqual(
      expect.arrayContaining([
        [used.id, [instanceOf.get(used)]],
        [usedByBackingOnly.id, [instanceOf.get(usedByBackingOnly)]],
        [unusedOld.id, []],
        [unusedRecent.id, []],
      ]),
    );
    expect(listing.partials.map((partial) => [partial.path, partial.downloadingPid])).toEqual(expect.arrayContaining([[interrupted, null], [downloading.part, process.pid]]));

    const result = await pruneCache(layout, { minAgeSeconds: day });
    await liveDownload?.release();
    expect(result.removed.map((entry) => [entry.imageId, entry.reason])).toEqual(expect.arrayContaining([[unusedOld.id, 'unused'], [null, 'partial']]));
    expect(result.removed).toHaveLength(2);
    expect(result.kept.map((entry) => [entry.imageId, entry.reason])).toEqual(
      expect.arrayContaining([[used.id, 'in-use'], [usedByBackingOnly.id, 'in-use'], [unusedRecent.id, 'recently-used']]),
    );
    expect(await stat(layout.base(unusedOld.id).file).catch(() => null)).toBeNull();
    expect(await stat(interrupted).catch(() => null)).toBeNull();
    expect((await stat(downloading.part)).size).toBe(4096);
    for (const kept of [used, usedByBackingOnly, unusedRecent]) expect((await stat(layout.base(kept.id).file)).size).toBe(1024 * 1024);
  });

  it('leaves a base alone while a launch holds its lock', async () => {
    const { layout, activities, images } = await cacheWithImages();
    const [image] = images as [ImageSnapshot];
    const request = await lab.request(image);
    await runActivity(activities.ensureImageCached, [lab.step(request.instanceId, 'ensureImageCached'), image]);
    await runActivity(activities.destroyInstance, [lab.step(request.instanceId, 'destroyInstance')]);
    const launchHolding = await FileLock.tryAcquire(layout.base(image.id).lock);
    const result = await pruneCache(layout, { minAgeSeconds: 0 });
    await launchHolding?.release();
    expect(result.kept).toEqual([{ name: layout.base(image.id).name, imageId: image.id, reason: 'busy' }]);
    expect((await pruneCache(layout, { minAgeSeconds: 0 })).removed.map((entry) => entry.imageId)).toEqual([image.id]);
  });

  it('lists and prunes from the command line with --local', async () => {
    const dataDir = lab.path(`cli-${randomUUID().slice(0, 8)}`);
    const config = validateConfig({ dataDir, compute: { host: 'cli-host' } }, () => 'test');
    const { layout, activities, images } = await cacheWithImages(`${dataDir}/hosts/cli-host`);
    const [image] = images as [ImageSnapshot];
    const request = await lab.request(image);
    await runActivity(activities.ensureImageCached, [lab.step(request.instanceId, 'ensureImageCached'), image]);
    const printed: string[] = [];
    vi.spyOn(console, 'log').mockImplementation((line: string) => void printed.push(line));
    vi.spyOn(console, 'error').mockImplementation((line: string) => void printed.push(line));

    expect(await cacheCommand.run(['list', '--local'], { config })).toBe(0);
    expect(printed.at(-1)).toContain(`image cache ${layout.baseDir}: 1 base(s)`);
    expect(printed.at(-1)).toContain(`${image.id}  raw     1.0 MiB`);
    expect(printed.at(-1)).toContain(request.instanceId);

    await runActivity(activities.destroyInstance, [lab.step(request.instanceId, 'destroyInstance')]);
    expect(await cacheCommand.run(['prune', '--local', '--min-age', '0', '--json'], { config })).toBe(0);
    expect(JSON.parse(printed.at(-1) ?? '')).toMatchObject({ removed: [{ imageId: image.id, reason: 'unused', sizeBytes: 1024 * 1024 }], kept: [] });
    expect(await cacheCommand.run(['prune', '--min-age', 'soon'], { config })).toBe(2);
    expect(printed.at(-1)).toContain('usage:');
  });
});
