// What makes a file fit to be a base: its bytes hash to the image's checksum (sha512
// `os_hash_value`, else md5 `checksum`), and qemu-img reads it as the image's declared
// format without a backing file or an external data file (either would let a user's
// image make QEMU read another file on the host).
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
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

/** Hashes [0, length) of path (the whole file when length is omitted), reporting bytes read. */
export async function hashFile(path: string, algorithm: ExpectedDigest['algorithm'], onBytes?: (bytes: number) => void, length?: number) {
  const hash = createHash(algorithm);
  if (length === 0) return hash;
  let bytes = 0;
  const stream = createReadStream(path, { highWaterMark: 1024 * 1024, ...(length === undefined ? {} : { end: length - 1 }) });
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    hash.update(chunk);
    bytes += chunk.length;
    onBytes?.(bytes);
  }
  return hash;
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
