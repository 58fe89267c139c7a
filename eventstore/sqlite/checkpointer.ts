// Most checkpoint work on a thread of its own. A checkpoint copies the pages committed to
// the WAL into the database file and fsyncs it. The writing connection checkpoints
// automatically once the WAL holds WAL_PAGES_PER_CHECKPOINT pages, and that copy lands
// on the commit that crosses the threshold, on the thread that also validates, hashes and
// inserts every append. Here a second connection, on a worker thread and so on the second
// core, copies waiting pages while appends go on, well before that threshold: the
// writer's own checkpoint then copies only the last few pages and restarts the WAL from
// its start. The thread's checkpoints are PASSIVE: they never wait for, and never block,
// a writer or a reader. Should the thread fail, nothing changes but speed: the writer
// still checkpoints for itself.
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { BUSY_TIMEOUT_MS } from './database.js';
import type { EventDatabase } from './database.js';

/** How often the thread looks at the WAL: one 104-byte read of its index. */
const LOOK_INTERVAL_MS = 10;
/**
 * Pages waiting in the WAL that start a checkpoint on the thread. Measured with looks every
 * 5-20 ms and 128-512 pages: the same within the noise.
 */
const THREAD_PAGES_PER_CHECKPOINT = 256;

// CommonJS source, run with `eval`: the thread needs no file of its own, whatever runs
// this module (tsx, vitest or compiled JavaScript). It reads the WAL index header
// (https://www.sqlite.org/walformat.html: mxFrame, the last committed frame, at byte 16;
// nBackfill, the last frame copied into the database, at byte 96; native byte order).
const THREAD_SOURCE = `
  const { closeSync, openSync, readSync } = require('node:fs');
  const { parentPort, workerData } = require('node:worker_threads');
  const Database = require(workerData.driver);
  const db = new Database(workerData.path, { fileMustExist: true });
  db.pragma('busy_timeout = ' + workerData.busyTimeoutMs);
  const walIndex = openSync(workerData.path + '-shm', 'r');
  const header = Buffer.alloc(104);
  const waiting = () => (readSync(walIndex, header, 0, 104, 0) < 104 ? 0 : header.readUInt32LE(16) - header.readUInt32LE(96));
  const timer = setInterval(() => {
    if (waiting() >= workerData.pages) db.pragma('wal_checkpoint(PASSIVE)');
  }, workerData.intervalMs);
  parentPort.once('message', () => {
    clearInterval(timer);
    closeSync(walIndex);
    db.close();
    parentPort.close();
  });
`;

export interface Checkpointer {
  /** Stops the thread and closes its connection. */
  stop(): Promise<void>;
}

export function checkpointOnThread(db: EventDatabase): Checkpointer {
  const thread = new Worker(THREAD_SOURCE, {
    eval: true,
    workerData: {
      driver: createRequire(import.meta.url).resolve('better-sqlite3'),
      path: db.name,
      busyTimeoutMs: BUSY_TIMEOUT_MS,
      intervalMs: LOOK_INTERVAL_MS,
      pages: THREAD_PAGES_PER_CHECKPOINT,
    },
  });
  // The thread never keeps the process alive; closing the store stops it.
  thread.unref();
  const exited = new Promise<void>((resolve) => thread.once('exit', () => resolve()));
  // The thread has ended (an 'exit' follows); the writer's own checkpoints carry on alone.
  thread.on('error', (error) => process.emitWarning(`event store ${db.name}: checkpoint thread stopped: ${error.message}`));
  return {
    async stop() {
      // Referenced again, so the process waits for the thread to close its connection.
      thread.ref();
      thread.postMessage('stop');
      await exited;
    },
  };
}
