// The read-model SQLite file: one per API process, rebuildable from the event log at
// any time, so it trades power-loss durability for speed (the log is the durable copy).
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

export type ReadModelDatabase = Database.Database;

/** A CLI rebuild and the API's runner may share the file; a writer waits this long for the other. */
const BUSY_TIMEOUT_MS = 10_000;

const BOOKKEEPING_TABLES = `
  CREATE TABLE IF NOT EXISTS projection_checkpoints (
    name            TEXT    PRIMARY KEY,
    version         INTEGER NOT NULL,
    position        INTEGER NOT NULL,
    failure         TEXT,
    failed_position INTEGER,
    updated_at      TEXT    NOT NULL
  ) STRICT;
  CREATE TABLE IF NOT EXISTS projection_rebuilds (
    name       TEXT PRIMARY KEY,
    token      TEXT NOT NULL,
    started_at TEXT NOT NULL
  ) STRICT;
`;

export function openReadModel(path: string): ReadModelDatabase {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  try {
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    db.pragma('journal_mode = WAL');
    // NORMAL in WAL mode survives a killed process; a power cut may lose the newest
    // transactions, but rows and checkpoint go back together and the runner re-applies.
    db.pragma('synchronous = NORMAL');
    db.exec(BOOKKEEPING_TABLES);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}
