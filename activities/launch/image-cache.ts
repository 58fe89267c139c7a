// The host's image cache (Nova's `_base`): one verified base file per image, shared by
// every instance's copy-on-write root disk. One download per image per host: launches in
// this process join the one in flight (SingleFlight), and worker processes sharing the
// host directory queue on the base's lock file. A base is handed out only verified:
//
// - on download: the bytes must hash to the image's checksum, and qemu-img must read them
//   as the declared format without backing or data file;
// - on every later use: re-hashed in full when its stat fingerprint (size, mtime, ctime,
//   inode) differs from the one recorded at verification — any write changes ctime — or
//   when the last full check is older than `reverifyAfterMs` (Nova's checksum interval,
//   1 h), which catches corruption that bypassed the file system. Unchanged and recently
//   checked, a warm hit costs a stat and a small JSON read, whatever the image's size.
//
// A base that fails the check is removed and downloaded again, never booted.
//
// When the image store's file is on this host's filesystem, the base is a hard link to it
// (verified the same way) rather than a copy: a stored image's bytes never change, so
// sharing them costs no transfer and no disk space — as Nova on Ceph clones the image
// rather than download it. The price is shared fate: bytes damaged in place are damaged
// for the store too, and the launch then fails verification instead of re-downloading.
import { chmod, link, mkdir, rename, rm, stat } from 'node:fs/promises';
import type { ImageSnapshot } from '../../domain/compute/instance.js';
import type { DiskFormat } from '../../hypervisor/qemu-img.js';
import type { BaseInfo } from './base-info.js';
import { fingerprintOf, readBaseInfo, sameFingerprint, statFingerprint, writeBaseInfo } from './base-info.js';
import type { ExpectedDigest } from './base-verification.js';
import { expectationsOf, hashFile, inspectBase } from './base-verification.js';
import { recordCacheUse } from './cache-usage.js';
import type { CachedImage } from './contract.js';
import { withFileLock } from './file-lock.js';
import type { BaseFiles, HostLayout } from './host-layout.js';
import { downloadToPart } from './image-download.js';
import type { DownloadProgress } from './image-download.js';
import type { ImageSource } from './image-source.js';
import { SingleFlight } from './single-flight.js';
import { syncPath } from '../../runtime/sync-path.js';

export type CacheProgress = { phase: 'waiting'; holderPid: number } | { phase: 'verifying'; bytes: number } | DownloadProgress;

export interface ImageCacheOptions {
  layout: HostLayout;
  source: ImageSource;
  /** A base whose fingerprint is unchanged is re-hashed in full only this often. */
  reverifyAfterMs?: number;
  /** How long a launch waits for another process's download of the same image. */
  lockTimeoutMs?: number;
}

export interface EnsureOptions {
  /** The launch that will use the base (recorded, so pruning keeps the base). */
  instanceId: string;
  /** Durable bytes an earlier attempt of this download reported. */
  resumeLimit?: number;
  onProgress?: (progress: CacheProgress) => void;
}

interface Expectations {
  format: DiskFormat;
  digest: ExpectedDigest;
}

const defaultReverifyAfterMs = 60 * 60 * 1000;
const defaultLockTimeoutMs = 60 * 60 * 1000;

function sameDigest(a: ExpectedDigest, b: ExpectedDigest): boolean {
  return a.algorithm === b.algorithm && a.value === b.value;
}

export class ImageCache {
  private readonly flights = new SingleFlight<CachedImage, CacheProgress>();
  private readonly reverifyAfterMs: number;
  private readonly lockTimeoutMs: number;

  constructor(private readonly options: ImageCacheOptions) {
    this.reverifyAfterMs = options.reverifyAfterMs ?? defaultReverifyAfterMs;
    this.lockTimeoutMs = options.lockTimeoutMs ?? defaultLockTimeoutMs;
  }

  get layout(): HostLayout {
    return this.options.layout;
  }

  /** The image's verified base on this host, downloading it first when needed. */
  async ensure(image: ImageSnapshot, options: EnsureOptions): Promise<CachedImage> {
    const expected = expectationsOf(image);
    await recordCacheUse(this.layout, options.instanceId, image.id);
    return this.flights.run(image.id, options.onProgress, (emit) => this.ensureUnderLock(image, expected, options.resumeLimit, emit));
  }

  private async ensureUnderLock(image: ImageSnapshot, expected: Expectations, resumeLimit: number | undefined, emit: (progress: CacheProgress) => void): Promise<CachedImage> {
    const files = this.layout.base(image.id);
    await mkdir(this.layout.baseDir, { recursive: true });
    const waiting = { timeoutMs: this.lockTimeoutMs, onWait: ({ pid }: { pid: number }) => emit({ phase: 'waiting', holderPid: pid }) };
    return withFileLock(files.lock, waiting, async () => {
      const cached = (await this.verifiedBase(image, expected, files, emit)) ?? (await this.linkedFromStore(image, expected, files, emit));
      if (cached) return cached;
      await downloadToPart({
        image,
        digest: expected.digest,
        part: files.part,
        source: this.options.source,
        ...(resumeLimit === undefined ? {} : { resumeLimit }),
        onProgress: emit,
      });
      await chmod(files.part, 0o444);
      return this.install(image, expected, files, files.part);
    });
  }

  /**
   * The store's file linked in as the base once it hashes to the checksum; null when this
   * host cannot link it (no local store file, another filesystem, no permission) or its
   * bytes fail the check (the download then reports it).
   */
  private async linkedFromStore(image: ImageSnapshot, expected: Expectations, files: BaseFiles, emit: (progress: CacheProgress) => void): Promise<CachedImage | null> {
    const storeFile = await this.options.source.localFile?.(image.id);
    if (!storeFile) return null;
    await rm(files.linked, { force: true });
    try {
      await link(storeFile, files.linked);
    } catch (error) {
      if (['EXDEV', 'EPERM', 'EACCES', 'ENOENT', 'EMLINK'].includes((error as NodeJS.ErrnoException).code ?? '')) return null;
      throw error;
    }
    const [actual, size] = await Promise.all([hashFile(files.linked, expected.digest.algorithm, (bytes) => emit({ phase: 'verifying', bytes })), stat(files.linked)]);
    if (actual.digest('hex') !== expected.digest.value || (image.size > 0 && size.size !== image.size)) {
      await rm(files.linked, { force: true });
      return null;
    }
    // The store's file keeps its own mode: the cache never writes a base either way.
    return this.install(image, expected, files, files.linked);
  }

  /** The base if it is there and passes the check; a base that fails it is removed. */
  private async verifiedBase(image: ImageSnapshot, expected: Expectations, files: BaseFiles, emit: (progress: CacheProgress) => void): Promise<CachedImage | null> {
    const fingerprint = await statFingerprint(files.file);
    if (!fingerprint) return null;
    const info = await readBaseInfo(files.info);
    const now = new Date();
    const trusted =
      info !== undefined &&
      info.imageId === image.id &&
      info.format === expected.format &&
      sameDigest(info.digest, expected.digest) &&
      sameFingerprint(info.fingerprint, fingerprint) &&
      now.getTime() - Date.parse(info.verifiedAt) < this.reverifyAfterMs;
    let verified = trusted ? { verifiedAt: info.verifiedAt, virtualSizeBytes: info.virtualSizeBytes } : undefined;
    if (!verified) {
      const actual = (await hashFile(files.file, expected.digest.algorithm, (bytes) => emit({ phase: 'verifying', bytes }))).digest('hex');
      if (actual !== expected.digest.value) {
        console.warn(`image cache: base ${files.file} of image ${image.id} no longer matches its ${expected.digest.algorithm} checksum; removed, downloading it again`);
        await Promise.all([rm(files.file, { force: true }), rm(files.info, { force: true })]);
        return null;
      }
      verified = { verifiedAt: now.toISOString(), ...(await inspectBase(files.file, image, expected.format)) };
    }
    await writeBaseInfo(files.info, { imageId: image.id, ...expected, ...verified, fingerprint, lastUsedAt: now.toISOString() });
    return { path: files.file, format: expected.format, virtualSizeBytes: verified.virtualSizeBytes };
  }

  /** Moves verified bytes at `from` into place once qemu-img reads them as the declared format: renamed, the directory synced. */
  private async install(image: ImageSnapshot, expected: Expectations, files: BaseFiles, from: string): Promise<CachedImage> {
    let virtualSizeBytes: number;
    try {
      ({ virtualSizeBytes } = await inspectBase(from, image, expected.format));
    } catch (error) {
      await rm(from, { force: true });
      throw error;
    }
    await rename(from, files.file);
    await syncPath(this.layout.baseDir);
    const now = new Date().toISOString();
    const info: BaseInfo = { imageId: image.id, ...expected, virtualSizeBytes, fingerprint: fingerprintOf(await stat(files.file)), verifiedAt: now, lastUsedAt: now };
    await writeBaseInfo(files.info, info);
    return { path: files.file, format: expected.format, virtualSizeBytes };
  }
}
