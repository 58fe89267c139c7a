// The host image cache through the real ensureImageCached activity: verified downloads,
// one download per image however many launches ask, resume after an interrupted
// download, corruption caught before a base is handed out, unsafe images refused, and the
// image store's own file linked in (verified) when it is on the host's filesystem.
import { MockActivityEnvironment } from '@temporalio/testing';
import { execa } from 'execa';
import { randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { appendFile, copyFile, mkdir, mkdtemp, open, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { CacheProgress } from '../../activities/launch/image-cache.js';
import type { ImageSource } from '../../activities/launch/image-source.js';
import { LaunchFailure } from '../../activities/launch/contract.js';
import { createOverlay } from '../../hypervisor/qemu-img.js';
import { digestOf, failureOf, fileImageSource, guestFiles, imageOf, quietLogger, runActivity, useHostLab } from './host-lab.js';

const lab = useHostLab();

describe('ensureImageCached', () => {
  it('downloads, verifies and caches the image once; a warm hit reuses the verified base', async () => {
    const image = await imageOf(guestFiles.biosRaw, 'raw');
    const { source, opened } = fileImageSource(new Map([[image.id, guestFiles.biosRaw]]));
    const { layout, activities } = lab.host({ source });

    let startedAt = performance.now();
    const cold = await runActivity(activities.ensureImageCached, [lab.step(randomUUID(), 'ensureImageCached'), image]);
    const coldMs = performance.now() - startedAt;
    expect(cold.result).toEqual({ path: layout.base(image.id).file, format: 'raw', virtualSizeBytes: 1024 * 1024 });
    expect(await digestOf(cold.result.path, 'sha512')).toBe(image.osHashValue);
    expect((await stat(cold.result.path)).mode & 0o777).toBe(0o444);
    expect(cold.heartbeats.at(-1)).toEqual({ phase: 'downloading', bytes: image.size, resumedFrom: 0 });

    startedAt = performance.now();
    const warm = await runActivity(activities.ensureImageCached, [lab.step(randomUUID(), 'ensureImageCached'), image]);
    const warmMs = performance.now() - startedAt;
    expect(warm.result).toEqual(cold.result);
    expect(warm.heartbeats).toEqual([]);
    expect(opened).toHaveLength(1);
    expect((await readdir(layout.baseDir)).sort()).toEqual([layout.base(image.id).name, `${layout.base(image.id).name}.info`]);
    console.info(`ensureImageCached 1 MiB raw: cold ${coldMs.toFixed(1)} ms, warm ${warmMs.toFixed(1)} ms`);
  });

  it('downloads once for 20 concurrent launches in one worker, and once across two worker processes sharing the host', async () => {
    const image = await imageOf(guestFiles.uefiRaw, 'raw');
    const { source, opened } = fileImageSource(new Map([[image.id, guestFiles.uefiRaw]]));
    const first = lab.host({ source });
    // A second ImageCache over the same directory: its own in-process map, so only the lock file keeps it out.
    const second = lab.host({ source, layout: first.layout });

    const startedAt = performance.now();
    const launches = Array.from({ length: 20 }, (_, index) =>
      runActivity((index % 2 === 0 ? first : second).activities.ensureImageCached, [lab.step(randomUUID(), 'ensureImageCached'), image]),
    );
    const results = await Promise.all(launches);
    expect(opened).toHaveLength(1);
    expect(new Set(results.map((run) => run.result.path))).toEqual(new Set([first.layout.base(image.id).file]));
    expect(await digestOf(first.layout.base(image.id).file, 'sha512')).toBe(image.osHashValue);
    // Launches that waited heartbeated while they waited.
    expect(results.filter((run) => run.heartbeats.length > 0).length).toBeGreaterThan(1);
    console.info(`20 concurrent ensureImageCached of a 16 MiB image: ${(performance.now() - startedAt).toFixed(0)} ms`);
  });

  it('resumes an interrupted download from the durable bytes its last heartbeat reported', async () => {
    const image = await imageOf(guestFiles.uefiRaw, 'raw');
    const half = Math.floor(image.size / 2);
    const opened: number[] = [];
    let interrupt = true;
    // A source whose first connection dies half-way, as a network or a worker crash would cut it.
    const flaky: ImageSource = {
      async open(_imageId, offset) {
        opened.push(offset);
        const stream = createReadStream(guestFiles.uefiRaw, { start: offset, highWaterMark: 256 * 1024 });
        if (!interrupt) return { stream, offset, origin: 'file' };
        interrupt = false;
        async function* cut() {
          let sent = 0;
          for await (const chunk of stream as AsyncIterable<Buffer>) {
            if (sent + chunk.length > half) throw new Error('connection reset');
            sent += chunk.length;
            yield chunk;
            // Slow enough for at least one checkpoint (fsync + heartbeat) before the cut.
            await new Promise((done) => setTimeout(done, 40));
          }
        }
        return { stream: Readable.from(cut()), offset, origin: 'flaky' };
      },
    };
    const { layout, activities } = lab.host({ source: flaky });
    const step = lab.step(randomUUID(), 'ensureImageCached');

    const heartbeats: CacheProgress[] = [];
    const environment = new MockActivityEnvironment({}, { logger: quietLogger });
    environment.on('heartbeat', (details: CacheProgress) => heartbeats.push(details));
    await expect(environment.run(activities.ensureImageCached, step, image)).rejects.toThrow('connection reset');
    const lastBeat = heartbeats.at(-1);
    expect(lastBeat).toMatchObject({ phase: 'downloading', resumedFrom: 0 });
    const durable = (lastBeat as { bytes: number }).bytes;
    expect(durable).toBeGreaterThan(0);
    // A machine crash may leave bytes past the last fsync: the retry must not trust them.
    await appendFile(layout.base(image.id).part, Buffer.alloc(4096, 0xee));

    const retry = await runActivity(activities.ensureImageCached, [step, image], { heartbeatDetails: lastBeat });
    expect(opened).toEqual([0, durable]);
    expect(retry.heartbeats.at(-1)).toEqual({ phase: 'downloading', bytes: image.size, resumedFrom: durable });
    expect(await digestOf(retry.result.path, 'sha512')).toBe(image.osHashValue);
  });

  it('detects a corrupted base, removes it and downloads the image again', async () => {
    const image = await imageOf(guestFiles.biosRaw, 'raw');
    const { source, opened } = fileImageSource(new Map([[image.id, guestFiles.biosRaw]]));
    const { activities } = lab.host({ source });
    const { result: base } = await runActivity(activities.ensureImageCached, [lab.step(randomUUID(), 'ensureImageCached'), image]);

    // Flip bytes in place (root ignores the 0444 mode), as a faulty disk or a stray writer would.
    const handle = await open(base.path, 'r+');
    await handle.write(Buffer.from('CORRUPT'), 0, 7, 512 * 10);
    await handle.close();
    expect(await digestOf(base.path, 'sha512')).not.toBe(image.osHashValue);

    const again = await runActivity(activities.ensureImageCached, [lab.step(randomUUID(), 'ensureImageCached'), image]);
    expect(again.heartbeats[0]).toMatchObject({ phase: 'verifying' });
    expect(opened).toHaveLength(2);
    expect(await digestOf(again.result.path, 'sha512')).toBe(image.osHashValue);
  });

  it('re-hashes an unchanged base once its last full check is older than the re-verify interval', async () => {
    const image = await imageOf(guestFiles.biosRaw, 'raw');
    const { source } = fileImageSource(new Map([[image.id, guestFiles.biosRaw]]));
    const { activities } = lab.host({ source, cache: { reverifyAfterMs: 0 } });
    await runActivity(activities.ensureImageCached, [lab.step(randomUUID(), 'ensureImageCached'), image]);
    const warm = await runActivity(activities.ensureImageCached, [lab.step(randomUUID(), 'ensureImageCached'), image]);
    expect(warm.heartbeats).toContainEqual({ phase: 'verifying', bytes: image.size });
  });

  it('verifies with md5 when the image has no sha512, and caches qcow2 images as qcow2', async () => {
    const image = await imageOf(guestFiles.biosQcow2, 'qcow2', { osHashValue: null });
    const { source } = fileImageSource(new Map([[image.id, guestFiles.biosQcow2]]));
    const { activities } = lab.host({ source });
    const { result } = await runActivity(activities.ensureImageCached, [lab.step(randomUUID(), 'ensureImageCached'), image]);
    expect(result).toMatchObject({ format: 'qcow2', virtualSizeBytes: 1024 * 1024 });
    expect(await digestOf(result.path, 'md5')).toBe(image.checksum);
  });

  it('refuses data that does not match the checksum as retryable ImageCorrupt, leaving nothing cached', async () => {
    const image = { ...(await imageOf(guestFiles.biosRaw, 'raw')), osHashValue: 'ab'.repeat(64) };
    const { source } = fileImageSource(new Map([[image.id, guestFiles.biosRaw]]));
    const { layout, activities } = lab.host({ source });
    const failure = await failureOf(runActivity(activities.ensureImageCached, [lab.step(randomUUID(), 'ensureImageCached'), image]));
    expect(failure).toMatchObject({ type: LaunchFailure.imageCorrupt, nonRetryable: false });
    expect(await readdir(layout.baseDir)).toEqual([]);
  });

  it('refuses images no host may boot: a backing file, a format other than declared, an unbootable disk_format', async () => {
    const scratch = lab.path(`unsafe-${randomUUID().slice(0, 8)}`);
    await mkdir(scratch);
    const withBacking = `${scratch}/with-backing.qcow2`;
    await createOverlay(guestFiles.biosRaw, 'raw', withBacking);
    const cases = [
      { path: withBacking, image: await imageOf(withBacking, 'qcow2'), reason: /backing file/ },
      { path: guestFiles.biosRaw, image: await imageOf(guestFiles.biosRaw, 'qcow2'), reason: /not valid qcow2/ },
      { path: guestFiles.biosRaw, image: await imageOf(guestFiles.biosRaw, 'iso'), reason: /disk_format 'iso'/ },
    ];
    for (const { path, image, reason } of cases) {
      const { source } = fileImageSource(new Map([[image.id, path]]));
      const { layout, activities } = lab.host({ source });
      const failure = await failureOf(runActivity(activities.ensureImageCached, [lab.step(randomUUID(), 'ensureImageCached'), image]));
      expect(failure).toMatchObject({ type: LaunchFailure.invalidRequest, nonRetryable: true });
      expect(failure.message).toMatch(reason);
      expect(await readdir(layout.baseDir).catch(() => [])).toEqual([]);
    }
  });

  /** A source that also offers `storeFile` as the image's local file, as the filesystem image store does. */
  function storeWithLocalFile(imageId: string, storeFile: string, download: string) {
    const { source, opened } = fileImageSource(new Map([[imageId, download]]));
    const withFile: ImageSource = { ...source, localFile: async (id) => (id === imageId ? storeFile : null) };
    return { source: withFile, opened };
  }

  it('links the image store file in as the base when it is on this filesystem: verified, nothing copied or downloaded', async () => {
    const image = await imageOf(guestFiles.biosRaw, 'raw');
    const storeFile = lab.path(`store-${image.id}`);
    await copyFile(guestFiles.biosRaw, storeFile);
    const { source, opened } = storeWithLocalFile(image.id, storeFile, guestFiles.biosRaw);
    const { layout, activities } = lab.host({ source });
    const { result, heartbeats } = await runActivity(activities.ensureImageCached, [lab.step(randomUUID(), 'ensureImageCached'), image]);
    const [base, stored] = await Promise.all([stat(result.path), stat(storeFile)]);
    expect(base.ino).toBe(stored.ino);
    expect(base.nlink).toBe(2);
    expect(opened).toEqual([]);
    expect(heartbeats.at(-1)).toEqual({ phase: 'verifying', bytes: image.size });
    expect(result).toEqual({ path: layout.base(image.id).file, format: 'raw', virtualSizeBytes: 1024 * 1024 });
    expect((await readdir(layout.baseDir)).sort()).toEqual([layout.base(image.id).name, `${layout.base(image.id).name}.info`]);
    // A warm hit trusts the link like any base.
    const warm = await runActivity(activities.ensureImageCached, [lab.step(randomUUID(), 'ensureImageCached'), image]);
    expect(warm.heartbeats).toEqual([]);
  });

  it('downloads instead of linking when the store file fails the checksum, and leaves the store file as it was', async () => {
    const image = await imageOf(guestFiles.biosRaw, 'raw');
    const storeFile = lab.path(`damaged-${image.id}`);
    await copyFile(guestFiles.biosRaw, storeFile);
    const handle = await open(storeFile, 'r+');
    await handle.write(Buffer.from('damaged'), 0, 7, 4096);
    await handle.close();
    const damaged = await readFile(storeFile);
    const { source, opened } = storeWithLocalFile(image.id, storeFile, guestFiles.biosRaw);
    const { layout, activities } = lab.host({ source });
    const { result } = await runActivity(activities.ensureImageCached, [lab.step(randomUUID(), 'ensureImageCached'), image]);
    expect(opened).toEqual([{ imageId: image.id, offset: 0 }]);
    expect((await stat(result.path)).ino).not.toBe((await stat(storeFile)).ino);
    expect(await digestOf(result.path, 'sha512')).toBe(image.osHashValue);
    expect((await readFile(storeFile)).equals(damaged)).toBe(true);
    expect((await stat(storeFile)).nlink).toBe(1);
    expect((await readdir(layout.baseDir)).sort()).toEqual([layout.base(image.id).name, `${layout.base(image.id).name}.info`]);
  });

  it('downloads instead of linking when the store file is on another filesystem', async () => {
    const image = await imageOf(guestFiles.biosRaw, 'raw');
    const otherFilesystem = await mkdtemp('/dev/shm/strata-store-');
    try {
      const storeFile = `${otherFilesystem}/image`;
      await copyFile(guestFiles.biosRaw, storeFile);
      const { source, opened } = storeWithLocalFile(image.id, storeFile, guestFiles.biosRaw);
      const { activities } = lab.host({ source });
      const { result } = await runActivity(activities.ensureImageCached, [lab.step(randomUUID(), 'ensureImageCached'), image]);
      expect(opened).toHaveLength(1);
      expect((await stat(storeFile)).nlink).toBe(1);
      expect(await digestOf(result.path, 'sha512')).toBe(image.osHashValue);
    } finally {
      await rm(otherFilesystem, { recursive: true, force: true });
    }
  });

  it('takes over the lock of a worker that died mid-download', async () => {
    const image = await imageOf(guestFiles.biosRaw, 'raw');
    const { source } = fileImageSource(new Map([[image.id, guestFiles.biosRaw]]));
    const { layout, activities } = lab.host({ source, cache: { lockTimeoutMs: 5_000 } });
    const exited = execa('true');
    const deadPid = exited.pid;
    await exited;
    await mkdir(layout.baseDir, { recursive: true });
    await writeFile(layout.base(image.id).lock, JSON.stringify({ pid: deadPid, startTime: '1', token: 'dead-worker' }));
    const { result } = await runActivity(activities.ensureImageCached, [lab.step(randomUUID(), 'ensureImageCached'), image]);
    expect(await digestOf(result.path, 'sha512')).toBe(image.osHashValue);
  });
});
