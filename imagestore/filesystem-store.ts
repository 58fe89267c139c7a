// The filesystem image store. Data streams into a temporary file (hashed and counted on
// the way, flushed to disk as it arrives), is fsynced, then renamed into its area: a
// reader never sees half an image and a failed write leaves nothing behind. File names
// are UUIDs the store chooses; nothing a client sends ever becomes part of a path.
import { randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, readdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { FlushingFileWriter } from './flushing-file-writer.js';
import { inspectFormat } from './format-inspection.js';
import type { FormatReport } from './format-inspection.js';
import { HashingCounter } from './hashing-counter.js';
import type { Digest } from './hashing-counter.js';
import { imageFileOf } from './image-file.js';
import { syncPath } from '../runtime/sync-path.js';

/** `images` holds data of active images; `staging` holds data awaiting an import. */
export type StoreArea = 'images' | 'staging';

export interface StoredFile extends Digest {
  location: string;
}

export interface WriteOptions {
  area: StoreArea;
  /** Refuse (ImageTooLargeError) past this many bytes: the size cap or what the quota leaves. */
  maxBytes: number;
  onBytes?: (total: number) => void;
}

const LOCATION = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const WRITE_CHUNK = 1024 * 1024;

export class FilesystemImageStore {
  constructor(readonly root: string) {}

  /** Creates the store's directories; call once before use. */
  async open(): Promise<this> {
    for (const dir of ['images', 'staging', 'partial']) await mkdir(join(this.root, dir), { recursive: true });
    return this;
  }

  path(area: StoreArea, location: string): string {
    // Locations come from the event log, which only ever holds ones this store chose.
    if (!LOCATION.test(location)) throw new Error(`not a store location: ${JSON.stringify(location)}`);
    return join(this.root, area, location);
  }

  async write(source: Readable | AsyncIterable<Buffer>, options: WriteOptions): Promise<StoredFile> {
    const location = randomUUID();
    const partial = join(this.root, 'partial', location);
    const counter = new HashingCounter(options.maxBytes, options.onBytes);
    try {
      // The writer fsyncs the file before the pipeline ends (and flushes as data arrives).
      await pipeline(source, counter, new FlushingFileWriter(partial));
      await rename(partial, this.path(options.area, location));
      await syncPath(join(this.root, options.area));
      return { location, ...(await counter.digest()) };
    } catch (error) {
      await rm(partial, { force: true });
      throw error;
    }
  }

  /**
   * Removes every unfinished write: only for an API starting up. A web-download import the
   * control worker is writing at that moment loses its file, fails its activity and is
   * downloaded again by the retry.
   */
  async removePartials(): Promise<number> {
    const partials = await readdir(join(this.root, 'partial'));
    await Promise.all(partials.map((name) => rm(join(this.root, 'partial', name), { force: true })));
    return partials.length;
  }

  /** Moves staged data into the images area once an import has verified it. */
  async promote(location: string): Promise<void> {
    await rename(this.path('staging', location), this.path('images', location));
    await syncPath(join(this.root, 'images'));
  }

  async inspect(area: StoreArea, location: string): Promise<FormatReport> {
    const handle = await open(this.path(area, location), 'r');
    try {
      return await inspectFormat(imageFileOf(handle, (await handle.stat()).size));
    } finally {
      await handle.close();
    }
  }

  /** Bytes [start, end] inclusive of an image's data. */
  read(location: string, range?: { start: number; end: number }): Readable {
    return createReadStream(this.path('images', location), { ...range, highWaterMark: WRITE_CHUNK });
  }

  async size(area: StoreArea, location: string): Promise<number> {
    return (await stat(this.path(area, location))).size;
  }

  async remove(area: StoreArea, location: string): Promise<void> {
    await rm(this.path(area, location), { force: true });
  }

  directUrl(location: string): string {
    return `file://${this.path('images', location)}`;
  }
}

