// Downloads an image into its base's `.part` file, resuming what an earlier attempt left
// there. Progress is reported only after an fsync, so the byte count a heartbeat carries
// is durable: a retry after a crash (even of the machine) cuts the `.part` back to it and
// asks the source for the rest. The finished file must hash to the image's checksum.
import { open, rm, stat } from 'node:fs/promises';
import type { ImageSnapshot } from '../../domain/compute/instance.js';
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

/** Sync and report at most this often: bounded cost, and a dead worker loses little. */
const checkpointIntervalMs = 1_000;

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

export async function downloadToPart(request: DownloadRequest): Promise<void> {
  const { image, digest, part } = request;
  let offset = await resumableBytes(request);
  const handle = await open(part, offset > 0 ? 'r+' : 'w', 0o600);
  try {
    await handle.truncate(offset);
    const onHashed = (bytes: number) => request.onProgress({ phase: 'verifying', bytes });
    let hash = await hashFile(part, digest.algorithm, onHashed, offset);
    let position = offset;
    if (image.size === 0 || offset < image.size) {
      const bytes = await request.source.open(image.id, offset);
      if (!bytes) throw new LaunchRejectedError(`Image ${image.id} has no data this host can read.`);
      if (bytes.offset !== offset) {
        offset = position = bytes.offset;
        await handle.truncate(offset);
        hash = await hashFile(part, digest.algorithm, undefined, offset);
      }
      let lastCheckpoint = Date.now();
      for await (const chunk of bytes.stream as AsyncIterable<Buffer>) {
        await handle.write(chunk, 0, chunk.length, position);
        position += chunk.length;
        hash.update(chunk);
        if (image.size > 0 && position > image.size) {
          bytes.stream.destroy();
          break;
        }
        if (Date.now() - lastCheckpoint >= checkpointIntervalMs) {
          await handle.sync();
          request.onProgress({ phase: 'downloading', bytes: position, resumedFrom: offset });
          lastCheckpoint = Date.now();
        }
      }
    }
    await handle.sync();
    request.onProgress({ phase: 'downloading', bytes: position, resumedFrom: offset });
    const actual = hash.digest('hex');
    if (actual !== digest.value || (image.size > 0 && position !== image.size)) {
      await rm(part, { force: true });
      throw new ImageCorruptError(
        `Image ${image.id} data failed verification: ${position} bytes with ${digest.algorithm} ${actual}, expected ${image.size} bytes with ${digest.value}.`,
      );
    }
  } finally {
    await handle.close();
  }
}
