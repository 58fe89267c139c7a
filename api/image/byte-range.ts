// The one byte range of a `Range: bytes=…` header Glance serves (first-last, first-, or
// -suffix); anything else it cannot satisfy is a 416 naming the image's size.
import { HttpError } from '../errors.js';

export interface ByteRange {
  start: number;
  /** Inclusive. */
  end: number;
}

function unsatisfiable(size: number, header: string): HttpError {
  return new HttpError(416, `Requested range ${header.slice(0, 100)} not satisfiable for an image of ${size} bytes.`, { 'Content-Range': `bytes */${size}` });
}

/** Null when the whole image is wanted. */
export function parseByteRange(header: string | undefined, size: number): ByteRange | null {
  if (header === undefined) return null;
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match || (match[1] === '' && match[2] === '')) throw unsatisfiable(size, header);
  const [first, last] = [match[1] ?? '', match[2] ?? ''];
  if (first === '') {
    const suffix = Number(last);
    if (suffix === 0 || size === 0) throw unsatisfiable(size, header);
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(first);
  const end = last === '' ? size - 1 : Math.min(Number(last), size - 1);
  if (start >= size || start > end) throw unsatisfiable(size, header);
  return { start, end };
}
