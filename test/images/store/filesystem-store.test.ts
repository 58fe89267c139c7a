// The filesystem store on a real directory: hashes, atomic placement, limits, cleanup.
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { FilesystemImageStore } from '../../../imagestore/filesystem-store.js';
import { ImageTooLargeError } from '../../../imagestore/hashing-counter.js';

async function freshStore(): Promise<FilesystemImageStore> {
  return new FilesystemImageStore(mkdtempSync(join(tmpdir(), 'strata-store-'))).open();
}

function chunksOf(data: Buffer, size: number): Buffer[] {
  const chunks: Buffer[] = [];
  for (let at = 0; at < data.length; at += size) chunks.push(data.subarray(at, at + size));
  return chunks;
}

const filesIn = (store: FilesystemImageStore) => ['images', 'staging', 'partial'].flatMap((area) => readdirSync(join(store.root, area)).map((name) => `${area}/${name}`));

describe('FilesystemImageStore', () => {
  it('stores the bytes with md5 and sha512 computed on the way, under a name it chose', async () => {
    const store = await freshStore();
    const data = randomBytes(3 * 1024 * 1024 + 17);
    const progress: number[] = [];
    const stored = await store.write(Readable.from(chunksOf(data, 65536)), { area: 'images', maxBytes: data.length, onBytes: (total) => progress.push(total) });
    expect(stored).toEqual({
      location: expect.stringMatching(/^[0-9a-f-]{36}$/) as string,
      size: data.length,
      checksum: createHash('md5').update(data).digest('hex'),
      osHashValue: createHash('sha512').update(data).digest('hex'),
    });
    expect(readFileSync(store.path('images', stored.location)).equals(data)).toBe(true);
    expect(filesIn(store)).toEqual([`images/${stored.location}`]);
    expect(progress.at(-1)).toBe(data.length);
    const middle = Buffer.concat(await store.read(stored.location, { start: 10, end: 19 }).toArray());
    expect(middle.equals(data.subarray(10, 20))).toBe(true);
  });

  it('refuses data past the limit and keeps nothing', async () => {
    const store = await freshStore();
    const write = store.write(Readable.from(chunksOf(randomBytes(1000), 100)), { area: 'images', maxBytes: 999 });
    await expect(write).rejects.toBeInstanceOf(ImageTooLargeError);
    expect(filesIn(store)).toEqual([]);
  });

  it('keeps nothing when the source fails half way', async () => {
    const store = await freshStore();
    async function* failing() {
      yield randomBytes(1000);
      throw new Error('client went away');
    }
    await expect(store.write(failing(), { area: 'staging', maxBytes: 10_000 })).rejects.toThrow('client went away');
    expect(filesIn(store)).toEqual([]);
  });

  it('promotes staged data into the images area', async () => {
    const store = await freshStore();
    const stored = await store.write(Readable.from([Buffer.from('abc')]), { area: 'staging', maxBytes: 10 });
    await store.promote(stored.location);
    expect(filesIn(store)).toEqual([`images/${stored.location}`]);
    expect(store.directUrl(stored.location)).toBe(`file://${store.root}/images/${stored.location}`);
    await store.remove('images', stored.location);
    expect(filesIn(store)).toEqual([]);
  });

  it('never builds a path from something that is not its own location', async () => {
    const store = await freshStore();
    expect(() => store.path('images', '../../etc/passwd')).toThrow(/not a store location/);
  });
});
