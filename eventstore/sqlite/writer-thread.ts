// A second connection to the log, on a worker thread, for large flushes. Building an
// event's row (canonical text, hash chain, id and head checks) and storing it (SQLite's
// inserts, index merges, commit) each take about half of a batched event's CPU; here
// they overlap: the store's thread builds rows while this one stores the ones before.
//
// The store's thread still decides everything: it reads the stream heads and ids on its
// own connection once this thread holds the write lock (nothing else can commit then, so
// what it reads is current), and sends only writes. Its reads do not see the rows this
// thread has written but not committed; the store's thread keeps those in memory.
import { Worker } from 'node:worker_threads';
import type { SqlValue, SqlWrites } from './sql-writes.js';

/** What the thread reports at a sync: nothing, or the first statement that failed since the last one. */
type SyncReply = { message: string; code?: string } | null;

/**
 * The thread's connection settings on top of every connection's. It checkpoints after
 * replying to each batch's commit, not inside the commit, so copying the WAL into the
 * database overlaps the caller's next batch instead of delaying this one's
 * acknowledgement. (A small page cache, so that SQLite writes dirty pages to the WAL while
 * the batch still arrives, measured no different.)
 */
const THREAD_PRAGMAS = ['wal_autocheckpoint = 0'];

export class WriterThread implements SqlWrites {
  private readonly worker: Worker;
  /** Each SQL text is sent and prepared once; afterwards runs name it by number. */
  private readonly statementIds = new Map<string, number>();
  private readonly waiting: { resolve: () => void; reject: (error: Error) => void }[] = [];
  private stopped: Error | undefined;

  constructor(path: string, pragmas: readonly string[]) {
    this.worker = new Worker(new URL('./writer-thread-worker.js', import.meta.url), {
      workerData: { path, pragmas: [...pragmas, ...THREAD_PRAGMAS] },
      // Plain JavaScript: no loader (tsx's, say) need start in the thread.
      execArgv: [],
    });
    // Only a pending sync keeps the process alive, not an idle thread.
    this.worker.unref();
    this.worker.on('message', (reply: SyncReply) => {
      const waiter = this.waiting.shift();
      if (this.waiting.length === 0) this.worker.unref();
      if (reply === null) waiter?.resolve();
      else waiter?.reject(Object.assign(new Error(reply.message), { code: reply.code }));
    });
    this.worker.on('error', (error) => this.stop(error));
    this.worker.on('exit', (code) => this.stop(new Error(`event store writer thread exited with code ${code}`)));
  }

  /** False once the thread has stopped: a new one takes its place. */
  get running(): boolean {
    return this.stopped === undefined;
  }

  run(sql: string, params: readonly SqlValue[] = []): void {
    this.worker.postMessage(['run', this.prepared(sql), params]);
  }

  /** Resolves once every statement sent so far has run; rejects with the first that failed since the last sync. */
  sync(): Promise<void> {
    if (this.stopped) return Promise.reject(this.stopped);
    return new Promise((resolve, reject) => {
      this.waiting.push({ resolve, reject });
      this.worker.ref();
      this.worker.postMessage(['sync']);
    });
  }

  /** Rolls back the thread's transaction, if one is open. */
  rollback(): void {
    if (this.running) this.worker.postMessage(['rollback']);
  }

  async close(): Promise<void> {
    await this.worker.terminate();
  }

  private prepared(sql: string): number {
    let id = this.statementIds.get(sql);
    if (id === undefined) {
      id = this.statementIds.size;
      this.statementIds.set(sql, id);
      this.worker.postMessage(['prepare', id, sql]);
    }
    return id;
  }

  private stop(error: Error): void {
    this.stopped ??= error;
    for (const waiter of this.waiting.splice(0)) waiter.reject(this.stopped);
  }
}

/** The writer thread of one store: started when first asked for, replaced if it stopped. */
export function lazyWriterThread(path: string, pragmas: readonly string[]) {
  let thread: WriterThread | undefined;
  return {
    get: (): WriterThread => {
      if (!thread?.running) thread = new WriterThread(path, pragmas);
      return thread;
    },
    close: async (): Promise<void> => {
      await thread?.close();
    },
  };
}
