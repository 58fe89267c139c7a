// One pass over image bytes as they stream by: md5 (Glance's `checksum`, on a worker
// thread), sha512 (`os_hash_value`) and the byte count, refusing to go past a size limit.
import { createHash } from 'node:crypto';
import { Transform } from 'node:stream';
import type { TransformCallback } from 'node:stream';
import { OffloadedMd5 } from './offloaded-md5.js';

export class ImageTooLargeError extends Error {
  override readonly name = 'ImageTooLargeError';
  constructor(readonly limit: number) {
    super(`Image data exceeds the limit of ${limit} bytes.`);
  }
}

export interface Digest {
  size: number;
  checksum: string;
  osHashValue: string;
}

export class HashingCounter extends Transform {
  private readonly md5 = new OffloadedMd5();
  private readonly sha512 = createHash('sha512');
  private bytes = 0;

  constructor(
    private readonly maxBytes: number,
    private readonly onBytes: (total: number) => void = () => undefined,
  ) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.bytes += chunk.length;
    if (this.bytes > this.maxBytes) {
      callback(new ImageTooLargeError(this.maxBytes));
      return;
    }
    this.sha512.update(chunk);
    this.onBytes(this.bytes);
    const backlog = this.md5.update(chunk);
    if (!backlog) callback(null, chunk);
    else backlog.then(() => callback(null, chunk), callback);
  }

  /** A stream that ends well is destroyed too: the worker then lives until digest(). */
  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    if (!error) return callback(null);
    this.md5.close().then(() => callback(error), callback);
  }

  /** Once the stream has ended. */
  async digest(): Promise<Digest> {
    return { size: this.bytes, checksum: await this.md5.digest(), osHashValue: this.sha512.digest('hex') };
  }
}
