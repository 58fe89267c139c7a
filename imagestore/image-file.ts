// Random-access reads of an image file for format inspection: a few small regions, read
// on demand, so inspecting a 1 TiB image reads kilobytes.
import type { FileHandle } from 'node:fs/promises';

export interface ImageFile {
  readonly size: number;
  /** Bytes at [offset, offset+length), shorter (possibly empty) past the end of the file. */
  read(offset: number, length: number): Promise<Buffer>;
}

/** Longest region an inspector may ask for: bounds memory whatever a header claims. */
const MAX_READ = 1024 * 1024;

export function imageFileOf(handle: FileHandle, size: number): ImageFile {
  return {
    size,
    async read(offset, length) {
      if (offset < 0 || offset >= size || length <= 0) return Buffer.alloc(0);
      const wanted = Math.min(length, MAX_READ, size - offset);
      const buffer = Buffer.alloc(wanted);
      const { bytesRead } = await handle.read(buffer, 0, wanted, offset);
      return buffer.subarray(0, bytesRead);
    },
  };
}
