// What makes a file fit to be a base: its bytes hash to the image's checksum (sha512
// `os_hash_value`, else md5 `checksum`), and qemu-img reads it as the image's declared
// format without a backing file or an external data file (either would let a user's
// image make QEMU read another file on the host).
import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';
import type { ImageSnapshot } from '../../domain/compute/instance.js';
import type { DiskFormat } from '../../hypervisor/qemu-img.js';
import { info } from '../../hypervisor/qemu-img.js';
import { LaunchRejectedError } from './failures.js';

export interface ExpectedDigest {
  algorithm: 'sha512' | 'md5';
  value: string;
}

const bootableFormats: readonly DiskFormat[] = ['raw', 'qcow2'];

/** The format and digest the image must have; refuses an image no host could boot. */
export function expectationsOf(image: ImageSnapshot): { format: DiskFormat; digest: ExpectedDigest } {
  const format = bootableFormats.find((candidate) => candidate === image.diskFormat);
  if (!format) throw new LaunchRejectedError(`Image ${image.id} has disk_format '${image.diskFormat}'; a compute host boots only ${bootableFormats.join(' or ')}.`);
  if (image.osHashValue) return { format, digest: { algorithm: 'sha512', value: image.osHashValue.toLowerCase() } };
  if (image.checksum) return { format, digest: { algorithm: 'md5', value: image.checksum.toLowerCase() } };
  throw new LaunchRejectedError(`Image ${image.id} has no checksum: its data cannot be verified.`);
}

/** Bytes hashed between progress reports (each may become an activity heartbeat). */
const REPORT_EVERY_BYTES = 32 * 1024 * 1024;
const READ_BYTES = 4 * 1024 * 1024;

/**
 * Hashes [0, length) of path (the whole file when length is omitted), reporting bytes read
 * now and then and at the end. Two buffers take turns: the next read runs on libuv's thread
 * while this one hashes, and nothing is allocated per chunk — a stream's fresh buffer per
 * read made a busy worker's garbage collector cost up to twice the hash itself.
 */
export async function hashFile(path: string, algorithm: ExpectedDigest['algorithm'], onBytes?: (bytes: number) => void, length = Number.POSITIVE_INFINITY) {
  const hash = createHash(algorithm);
  if (length === 0) return hash;
  const handle = await open(path, 'r');
  try {
    const readInto = (buffer: Buffer, position: number) =>
      position < length ? handle.read(buffer, 0, Math.min(READ_BYTES, length - position), position) : Promise.resolve({ bytesRead: 0 });
    let [filling, spare] = [Buffer.allocUnsafe(READ_BYTES), Buffer.allocUnsafe(READ_BYTES)];
    let bytes = 0;
    let reported = 0;
    for (let reading = readInto(filling, 0); ; ) {
      const { bytesRead } = await reading;
      if (bytesRead === 0) break;
      const chunk = filling.subarray(0, bytesRead);
      bytes += bytesRead;
      [filling, spare] = [spare, filling];
      reading = readInto(filling, bytes);
      hash.update(chunk);
      if (bytes - reported >= REPORT_EVERY_BYTES) {
        reported = bytes;
        onBytes?.(bytes);
      }
    }
    if (bytes > reported) onBytes?.(bytes);
    return hash;
  } finally {
    await handle.close();
  }
}

/** qemu-img's view of a downloaded or cached file; throws LaunchRejectedError when it may not be a base. */
export async function inspectBase(path: string, image: ImageSnapshot, format: DiskFormat): Promise<{ virtualSizeBytes: number }> {
  let details;
  try {
    details = await info(path, { format });
  } catch (error) {
    throw new LaunchRejectedError(`Image ${image.id} is not valid ${format} data: ${(error as Error).message}`);
  }
  if (details.format !== format) throw new LaunchRejectedError(`Image ${image.id} is ${details.format} data, but its disk_format is ${format}.`);
  if (details.backingFilename !== undefined) throw new LaunchRejectedError(`Image ${image.id} names a backing file; images with backing files are refused.`);
  if (details.dataFile !== undefined) throw new LaunchRejectedError(`Image ${image.id} names an external data file; such images are refused.`);
  if (details.encrypted) throw new LaunchRejectedError(`Image ${image.id} is encrypted; the compute host cannot boot it.`);
  return { virtualSizeBytes: details.virtualSize };
}
