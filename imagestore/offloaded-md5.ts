// md5 on a worker thread. Hashing an upload with md5 and sha512 one after the other on
// the event loop is slower than the disk; md5 alone is the slower half, so it runs beside
// the upload on another core while sha512 stays inline. Chunks travel in 1 MiB batches
// (moved, not copied, to the worker), and no more than 16 MiB may wait there: a slow
// worker slows the upload rather than filling memory.
import { Worker } from 'node:worker_threads';

const BATCH_BYTES = 1024 * 1024;
const MAX_WAITING_BYTES = 16 * 1024 * 1024;

// Plain JavaScript evaluated in the worker: it needs no loader, under tsx or vitest alike.
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const md5 = require('node:crypto').createHash('md5');
parentPort.on('message', (batch) => {
  if (batch === null) return parentPort.postMessage({ digest: md5.digest('hex') });
  md5.update(new Uint8Array(batch));
  parentPort.postMessage({ hashed: batch.byteLength });
});
`;

export class OffloadedMd5 {
  private readonly worker = new Worker(WORKER_SOURCE, { eval: true });
  private batch: Buffer[] = [];
  private batchBytes = 0;
  private waitingBytes = 0;
  private resume: (() => void) | null = null;
  private finished: { resolve: (digest: string) => void; reject: (error: Error) => void } | null = null;
  private failure: Error | null = null;

  constructor() {
    this.worker.on('message', (message: { hashed?: number; digest?: string }) => {
      if (message.digest !== undefined) this.finished?.resolve(message.digest);
      this.waitingBytes -= message.hashed ?? 0;
      if (this.resume && this.waitingBytes <= MAX_WAITING_BYTES) this.release();
    });
    this.worker.on('error', (error) => {
      this.failure = error;
      this.finished?.reject(error);
      this.release();
    });
  }

  /** Resolves at once, or once the worker has caught up enough to take more. */
  update(chunk: Buffer): Promise<void> | undefined {
    if (this.failure) return Promise.reject(this.failure);
    this.batch.push(chunk);
    this.batchBytes += chunk.length;
    if (this.batchBytes >= BATCH_BYTES) this.send();
    if (this.waitingBytes <= MAX_WAITING_BYTES) return undefined;
    return new Promise<void>((resolve) => (this.resume = resolve)).then(() => {
      if (this.failure) throw this.failure;
    });
  }

  async digest(): Promise<string> {
    if (this.failure) throw this.failure;
    this.send();
    const digest = new Promise<string>((resolve, reject) => (this.finished = { resolve, reject }));
    this.worker.postMessage(null);
    try {
      return await digest;
    } finally {
      await this.close();
    }
  }

  async close(): Promise<void> {
    await this.worker.terminate();
  }

  private send(): void {
    if (this.batchBytes === 0) return;
    // An unpooled buffer of exactly this size: its ArrayBuffer can be handed over whole.
    const data = Buffer.allocUnsafeSlow(this.batchBytes);
    let at = 0;
    for (const chunk of this.batch) at += chunk.copy(data, at);
    this.waitingBytes += data.length;
    this.batch = [];
    this.batchBytes = 0;
    this.worker.postMessage(data.buffer, [data.buffer]);
  }

  private release(): void {
    const resume = this.resume;
    this.resume = null;
    resume?.();
  }
}
