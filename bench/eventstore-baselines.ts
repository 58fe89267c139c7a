// What a durable single-event append is measured against, in the same run on the same
// filesystem: two fsync loops that write no more than a commit must, and a bare SQLite
// commit with the store's durability settings and nothing of the store around it.
import Database from 'better-sqlite3';
import { closeSync, fsyncSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { CONNECTION_PRAGMAS } from '../eventstore/sqlite/database.js';

/** One durable write each: `step` is timed, `close` is not. */
export interface DurableLoop {
  step: () => void;
  close: () => void;
}

/** SQLite's default WAL size between checkpoints (1,000 pages of 4 KiB, plus frame headers). */
const RING_BYTES = 4 * 1024 * 1024;
/** One WAL frame: a 24-byte header and a 4 KiB page. */
const FRAME_BYTES = 24 + 4096;

/**
 * 128 bytes appended, then fsync: the file grows with each write, so each fsync also
 * records the file's new size (a journal commit of the filesystem's).
 */
export function appendingFsync(dir: string): DurableLoop {
  const fd = openSync(join(dir, 'fsync-append'), 'w');
  const record = Buffer.alloc(128, 'x');
  return {
    step: () => {
      writeSync(fd, record);
      fsyncSync(fd);
    },
    close: () => closeSync(fd),
  };
}

/**
 * One 4 KiB frame written over a file that already has its blocks, each frame after the
 * last and round again, then fsync: what SQLite's WAL does once a checkpoint has
 * restarted it. Nothing but the data is recorded, so this is the fastest fsync loop here.
 */
export function inPlaceFsync(dir: string): DurableLoop {
  const fd = openSync(join(dir, 'fsync-in-place'), 'w');
  const frame = Buffer.alloc(FRAME_BYTES, 'y');
  const frames = Math.floor(RING_BYTES / FRAME_BYTES);
  for (let index = 0; index < frames; index += 1) writeSync(fd, frame, 0, FRAME_BYTES, index * FRAME_BYTES);
  fsyncSync(fd);
  let next = 0;
  return {
    step: () => {
      writeSync(fd, frame, 0, FRAME_BYTES, next * FRAME_BYTES);
      fsyncSync(fd);
      next = (next + 1) % frames;
    },
    close: () => closeSync(fd),
  };
}

/**
 * One INSERT of `text` per IMMEDIATE transaction into a table keyed by position, with the
 * store's connection settings (WAL, synchronous=FULL), as the store commits a
 * single-event append: no validation, hash chain, id or stream bookkeeping, promise or
 * event-loop turn.
 */
export function bareSqliteCommit(dir: string, text: string): DurableLoop & { walPath: string } {
  const path = join(dir, 'bare.db');
  const db = new Database(path);
  for (const pragma of [...CONNECTION_PRAGMAS, 'journal_mode = WAL']) db.pragma(pragma);
  db.exec('CREATE TABLE events (position INTEGER PRIMARY KEY, event TEXT NOT NULL) STRICT');
  const [begin, insert, commit] = [db.prepare('BEGIN IMMEDIATE'), db.prepare('INSERT INTO events (event) VALUES (?)'), db.prepare('COMMIT')];
  return {
    step: () => {
      begin.run();
      insert.run(text);
      commit.run();
    },
    close: () => db.close(),
    walPath: `${path}-wal`,
  };
}
