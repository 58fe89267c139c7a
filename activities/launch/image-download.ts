// Downloads an image into its base's `.part` file, resuming what an earlier attempt left
// there. Progress is reported only after an fsync, so the byte count a heartbeat carries
// is durable: a retry after a crash (even of the machine) cuts the `.part` back to it and
// asks the source for the rest. The finished file must hash to the image's checksum.
import type { Hash } from 'node:crypto';
import { open, rm, stat } from 'node:fs/promises';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ImageSnapshot } from '../../domain/compute/instance.js';
import { FlushingFileWriter } from '../../imagestore/flushing-file-writer.js';
import type { ExpectedDigest } from './base-verification.js';
import { hashFile } from './base-verification.js';
import { ImageCorruptError, LaunchRejectedError } from './failures.js';
import type { ImageSource } from './image-source.js';

export type DownloadProgress =
  | {
      phase: 'downloading';
      /** Bytes of the `.part` file that are on disk (fsynced). */
      bytes: number;
      /** Where this download started: 0, or the size of the `.part` it resumed. */
      resumedFrom: number;
    }
  /** Hashing what an earlier attempt left, before asking the source for the rest. */
  | { phase: 'verifying'; bytes: number };

export interface DownloadRequest {
  image: ImageSnapshot;
  digest: ExpectedDigest;
  part: string;
  source: ImageSource;
  /** Durable bytes an earlier attempt reported (its heartbeat); the `.part` is cut back to them. */
  resumeLimit?: number;
  onProgress(progress: DownloadProgress): void;
}

async function sizeOf(path: string): Promise<number> {
  return stat(path).then(
    (info) => info.size,
    () => 0,
  );
}

/** How much of the `.part` can be trusted as the image's first bytes. */
async function resumableBytes(request: DownloadRequest): Promise<number> {
  const onDisk = Math.min(await sizeOf(request.part), request.resumeLimit ?? Number.POSITIVE_INFINITY);
  return request.image.size > 0 && onDisk > request.image.size ? 0 : onDisk;
}

/** Make progress durable and report it at least this often while bytes arrive: bounded loss, and a live heartbeat on a slow link. */
const checkpointIntervalMs = 1_000;

/** Raised inside the copy when the source sends more than the image's size. */
class OversizedImage extends Error {}

/**
 * Hashes the bytes on their way to the file. The hash runs on this thread while the reads,
 * writes and flushes run on libuv's, so a download costs about the hash's time, not the
 * sum of the three; past `limit` bytes the copy stops.
 */
function hashing(hash: Hash, limit: number): Transform {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      seen += chunk.length;
      if (seen > limit) return callback(new OversizedImage());
      hash.update(chunk);
      callback(null, chunk);
    },
  });
}

export async function downloadToPart(request: DownloadRequest): Promise<void> {
  const { image, digest, part } = request;
  let offset = await resumableBytes(request);
  await cutTo(part, offset);
  const onHashed = (bytes: number) => request.onProgress({ phase: 'verifying', bytes });
  let hash = await hashFile(part, digest.algorithm, onHashed, offset);
  let position = offset;
  if (image.size === 0 || offset < image.size) {
    const bytes = await request.source.open(image.id, offset);
    if (!bytes) throw new LaunchRejectedError(`Image ${image.id} has no data this host can read.`);
    if (bytes.offset !== offset) {
      offset = bytes.offset;
      await cutTo(part, offset);
      hash = await hashFile(part, digest.algorithm, undefined, offset);
    }
    const resumedFrom = offset;
    // Heartbeats carry only bytes a flush made durable: a retry after a crash may trust them.
    // The last report, after the final sync, is the file's whole length.
    const onDurable = (durable: number) => {
      position = durable;
      request.onProgress({ phase: 'downloading', bytes: durable, resumedFrom });
    };
    const writer = new FlushingFileWriter(part, { startAt: offset, flushAfterMs: checkpointIntervalMs, onDurable });
    try {
      await pipeline(bytes.stream, hashing(hash, image.size > 0 ? image.size : Number.POSITIVE_INFINITY), writer);
    } catch (error) {
      if (!(error instanceof OversizedImage)) throw error;
      await rm(part, { force: true });
      throw new ImageCorruptError(`Image ${image.id} data failed verification: its source sent more than its ${image.size} bytes.`);
    }
  }
  const actual = hash.digest('hex');
  if (actual !== digest.value || (image.size > 0 && position !== image.size)) {
    await rm(part, { force: true });
    throw new ImageCorruptError(
      `Image ${image.id} data failed verification: ${position} bytes with ${digest.algorithm} ${actual}, expected ${image.size} bytes with ${digest.value}.`,
    );
  }
}

/** The `.part` holding exactly its first `length` bytes, on disk (created when missing). */
async function cutTo(part: string, length: number): Promise<void> {
  const handle = await open(part, length > 0 ? 'r+' : 'w', 0o600);
  try {
    await handle.truncate(length);
    await handle.sync();
  } finally {
    await handle.close();
  }
}
