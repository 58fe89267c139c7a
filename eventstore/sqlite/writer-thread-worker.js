// The writer thread's side of writer-thread.ts: its own connection to the event log,
// running the statements it is sent, in the order they were sent. Plain JavaScript (typed
// by the comments), so it runs as it is under every loader the store runs under (node,
// tsx, vitest).
import Database from 'better-sqlite3';
import { parentPort, workerData } from 'node:worker_threads';

/** @type {{ path: string, pragmas: string[] }} */
// eslint-disable-next-line @typescript-eslint/no-unsafe-assignment -- workerData is untyped; writer-thread.ts sends this shape.
const settings = workerData;
const port = parentPort;
if (port === null) throw new Error('writer-thread-worker.js runs as a worker thread');

const db = new Database(settings.path, { fileMustExist: true });
for (const pragma of settings.pragmas) db.pragma(pragma);
/** @type {Database.Statement[]} Prepared statements, by the number the other side gave each SQL text. */
const statements = [];
/** @type {(Error & { code?: string }) | null} The first error since the last sync: later statements are skipped, the transaction is rolled back. */
let failure = null;
/** Whether a statement has run since the last checkpoint. */
let written = false;

function rollback() {
  if (db.inTransaction) db.exec('ROLLBACK');
}

/** @param {'prepare' | 'run'} op @param {number} id @param {unknown} value */
function execute(op, id, value) {
  if (op === 'prepare') {
    statements[id] = db.prepare(/** @type {string} */ (value));
    return;
  }
  const statement = statements[id];
  // Its preparing failed, and that failure was reported: so is every run of it.
  if (statement === undefined) throw new Error(`statement ${id} could not be prepared`);
  written = true;
  statement.run(/** @type {unknown[]} */ (value));
}

port.on('message', (/** @type {['prepare' | 'run' | 'sync' | 'rollback', number, unknown]} */ [op, id, value]) => {
  if (op === 'sync') {
    port.postMessage(failure && { message: failure.message, code: failure.code });
    failure = null;
    // After the reply, so the other side goes on with its next batch meanwhile. A
    // checkpoint that fails is tried again after the next batch; nothing is lost meanwhile.
    if (written && !db.inTransaction) {
      written = false;
      try {
        db.pragma('wal_checkpoint(PASSIVE)');
      } catch {
        written = true;
      }
    }
    return;
  }
  if (op === 'rollback') {
    rollback();
    return;
  }
  // Prepared even after a failure: the other side counts it as prepared from now on.
  if (op !== 'prepare' && failure !== null) return;
  try {
    execute(op, id, value);
  } catch (error) {
    failure = /** @type {Error} */ (error);
    rollback();
  }
});
