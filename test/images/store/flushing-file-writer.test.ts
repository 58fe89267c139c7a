// The image file writer on a real file: bytes land intact across background flushes, the
// file is synced before the stream finishes, it never overwrites an existing file unless
// told to continue it, and it reports how much of the file is durable.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { describe, expect, it } from 'vitest';
import { FlushingFileWriter } from '../../../imagestore/flushing-file-writer.js';

const target = () => join(mkdtempSync(join(tmpdir(), 'strata-writer-')), 'image');

/** Chunks of uneven sizes, as a socket delivers them. */
function* unevenChunks(data: Buffer): Generator<Buffer> {
  const sizes = [65536, 1, 300_000, 16384, 4_000_000];
  for (let at = 0, n = 0; at < data.length; n += 1) {
    const size = sizes[n % sizes.length]!;
    yield data.subarray(at, at + size);
    at += size;
  }
}

describe('FlushingFileWriter', () => {
  it('writes every byte in order across several background flushes (more than 32 MiB)', async () => {
    const path = target();
    const data = randomBytes(70 * 1024 * 1024 + 5);
    await pipeline(Readable.from(unevenChunks(data)), new FlushingFileWriter(path));
    expect(readFileSync(path).equals(data)).toBe(true);
  });

  it('writes an empty file', async () => {
    const path = target();
    await pipeline(Readable.from([]), new FlushingFileWriter(path));
    expect(readFileSync(path).length).toBe(0);
  });

  it('refuses to overwrite a file that already exists', async () => {
    const path = target();
    writeFileSync(path, 'keep me');
    await expect(pipeline(Readable.from([Buffer.from('new')]), new FlushingFileWriter(path))).rejects.toMatchObject({ code: 'EEXIST' });
    expect(readFileSync(path, 'utf8')).toBe('keep me');
  });

  it('continues an existing file from an offset and reports each durable length, the whole file last', async () => {
    const path = target();
    const head = randomBytes(1000);
    const tail = randomBytes(40 * 1024 * 1024);
    writeFileSync(path, head);
    const durable: number[] = [];
    await pipeline(Readable.from(unevenChunks(tail)), new FlushingFileWriter(path, { startAt: head.length, onDurable: (bytes) => durable.push(bytes) }));
    expect(readFileSync(path).equals(Buffer.concat([head, tail]))).toBe(true);
    expect(durable.length).toBeGreaterThanOrEqual(2);
    expect(durable).toEqual([...durable].sort((a, b) => a - b));
    expect(durable.at(-1)).toBe(head.length + tail.length);
  });

  it('fails the pipeline when the source fails', async () => {
    const path = target();
    async function* failing() {
      yield randomBytes(40 * 1024 * 1024);
      throw new Error('client went away');
    }
    await expect(pipeline(failing(), new FlushingFileWriter(path))).rejects.toThrow('client went away');
  });
});
