// A file writer for image data that flushes to disk while the data is still arriving.
// Written pages otherwise stay dirty in the page cache until the final fsync (the kernel
// starts writeback only past gigabytes of dirty data), so an upload would first receive
// and hash everything and then wait for the whole file to reach the disk. Starting a
// datasync every few tens of MiB lets the disk work while the network and the hashes do;
// the final fsync then has only the tail left. Durability is unchanged: the file counts
// as written only after that final fsync. A writer may also continue a file from an
// offset (a resumed download), and says how many bytes each finished flush made durable.
import type { FileHandle } from 'node:fs/promises';
import { open } from 'node:fs/promises';
import { Writable } from 'node:stream';

/** Bytes written between background flushes: large enough that each flush is one long disk write. */
const FLUSH_EVERY_BYTES = 32 * 1024 * 1024;
/** Chunks gathered into one writev: fewer system calls than one per network chunk. */
const WRITE_BATCH_BYTES = 1024 * 1024;

export interface FlushingFileWriterOptions {
  /** Continue the existing file from this offset (its length) rather than create a new one. */
  startAt?: number;
  /** After each flush, and after the final sync: the file's length known to be on disk. */
  onDurable?: (bytes: number) => void;
  /** Also flush once this long has passed since the last flush began, however few bytes came (a slow source still makes progress durable). */
  flushAfterMs?: number;
}

export class FlushingFileWriter extends Writable {
  private handle: FileHandle | undefined;
  private unflushedBytes = 0;
  private lastFlushAt = Date.now();
  /** Where the next write goes, and the file's length once it is done. */
  private position: number;
  /** At most one background flush at a time; its failure fails the write. */
  private flushing: Promise<void> | undefined;

  constructor(
    private readonly path: string,
    private readonly options: FlushingFileWriterOptions = {},
  ) {
    super({ highWaterMark: WRITE_BATCH_BYTES });
    this.position = options.startAt ?? 0;
  }

  override _construct(callback: (error?: Error | null) => void): void {
    // A new file must not exist yet: nothing is ever overwritten by accident.
    open(this.path, this.options.startAt === undefined ? 'wx' : 'r+').then((handle) => {
      this.handle = handle;
      callback();
    }, callback);
  }

  override _writev(chunks: { chunk: Buffer }[], callback: (error?: Error | null) => void): void {
    const buffers = chunks.map(({ chunk }) => chunk);
    this.writeAll(buffers).then(() => callback(), callback);
  }

  override _final(callback: (error?: Error | null) => void): void {
    const handle = this.handle!;
    (async () => {
      await this.flushing;
      await handle.sync();
      this.options.onDurable?.(this.position);
    })().then(() => callback(), callback);
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    const handle = this.handle;
    this.handle = undefined;
    // A failed background flush was already reported (or is about to be, by the error itself).
    Promise.allSettled([this.flushing])
      .then(() => handle?.close())
      .then(() => callback(error), (closeError: unknown) => callback(error ?? (closeError as Error)));
  }

  private async writeAll(buffers: Buffer[]): Promise<void> {
    const handle = this.handle!;
    let pending = buffers;
    while (pending.length > 0) {
      const { bytesWritten } = await handle.writev(pending, this.position);
      this.position += bytesWritten;
      this.unflushedBytes += bytesWritten;
      pending = remainderAfter(pending, bytesWritten);
    }
    const { flushAfterMs } = this.options;
    if (this.unflushedBytes >= FLUSH_EVERY_BYTES || (flushAfterMs !== undefined && Date.now() - this.lastFlushAt >= flushAfterMs)) await this.startFlush(handle);
  }

  /** Waits only for the previous flush, so the disk is never asked for two at once. */
  private async startFlush(handle: FileHandle): Promise<void> {
    await this.flushing;
    this.unflushedBytes = 0;
    this.lastFlushAt = Date.now();
    const covered = this.position;
    this.flushing = handle.datasync().then(() => this.options.onDurable?.(covered));
    // Reported through the next write or _final; this keeps it from counting as unhandled meanwhile.
    this.flushing.catch(() => undefined);
  }
}

/** What is left of `buffers` once the first `written` bytes have gone out (writev may write less). */
function remainderAfter(buffers: Buffer[], written: number): Buffer[] {
  let skip = written;
  let index = 0;
  while (index < buffers.length && skip >= buffers[index]!.length) skip -= buffers[index++]!.length;
  if (index === buffers.length) return [];
  return [buffers[index]!.subarray(skip), ...buffers.slice(index + 1)];
}
