// One pass over image bytes as they stream by: md5 (Glance's `checksum`), sha512
// (`os_hash_value`) and the byte count, refusing to go past a size limit.
import { createHash } from 'node:crypto';
import { Transform } from 'node:stream';
import type { TransformCallback } from 'node:stream';

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
  private readonly md5 = createHash('md5');
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
    this.md5.update(chunk);
    this.sha512.update(chunk);
    this.onBytes(this.bytes);
    callback(null, chunk);
  }

  digest(): Digest {
    return { size: this.bytes, checksum: this.md5.digest('hex'), osHashValue: this.sha512.digest('hex') };
  }
}
