// Opening the SQLite file: durable settings, the schema, and a refusal to touch a file
// that is not a strata event log — start-up stops rather than re-initialising it.
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { EventStoreUnavailableError } from '../port.js';
import { CREATE_STREAM_INDEX, INDEX_EXISTING_EVENTS } from './stream-index.js';

/** "STRA": marks the file as a strata event log, so another SQLite file is never mistaken for one. */
const APPLICATION_ID = 0x53545241;
const SCHEMA_VERSION = 4;
/** How long a writer waits for another process's write transaction before giving up. */
const BUSY_TIMEOUT_MS = 10_000;
/**
 * WAL pages between automatic checkpoints (SQLite's default). After a checkpoint the next
 * commit writes the WAL from its start again, over blocks the file already has; until
 * then every commit extends the file, and an fsync that must also record new blocks costs
 * more. A 4 MB WAL reaches that steady state after a few hundred appends: measured against
 * 10,000 pages (40 MB) on a fresh log, sequential durable appends used 10-35% less CPU
 * each (6 of 6 interleaved runs), while batched appends measured the same either way.
 */
const WAL_PAGES_PER_CHECKPOINT = 1_000;

// Event ids are looked up by `id_key`, a number taken from the UUID's first 48 bits, not
// by the 36-character text (smaller index entries); the full id is compared after the
// lookup, so two ids sharing a key are still told apart. Random keys make every index
// insert land on a random page, and once the index outgrows a batch every insert dirties a
// page of its own: a 1,000-event batch could write up to ~4 MB of index pages to the WAL, and the
// cost per event grew with the log. So the keys are indexed in two levels (see
// id-index.ts): the newest keys, which each writing process keeps in memory (the events
// table has them, so nothing is stored twice), and `event_ids`, into which they are
// merged slice by slice in key order, so each of its pages is rewritten about once per
// merge cycle, not once per batch.
// Pages keep SQLite's default size (4 KiB). 1 KiB pages cut a durable append's WAL bytes
// by three quarters but measured no faster per durable append (the fsync dominates, not
// the bytes) and cost 15-20% more CPU per event in batches.

/** The merged level of the id index; ids are never stored twice, so (id_key, position) is unique. */
const CREATE_ID_INDEX = `
  CREATE TABLE event_ids (id_key INTEGER NOT NULL, position INTEGER NOT NULL, PRIMARY KEY (id_key, position)) STRICT, WITHOUT ROWID;
`;

/**
 * No index on (stream, revision): `stream_index` holds that, a few positions behind
 * (stream-index.ts), so a single-event commit usually dirties one b-tree. Writers keep
 * (stream, revision) unique: each reads its stream's head while holding the write lock.
 */
const CREATE_EVENTS = (table: string) => `
  CREATE TABLE ${table} (
    position  INTEGER PRIMARY KEY,
    id        TEXT    NOT NULL,
    id_key    INTEGER NOT NULL,
    stream    TEXT    NOT NULL,
    revision  INTEGER NOT NULL,
    type      TEXT    NOT NULL,
    data      TEXT    NOT NULL,
    metadata  TEXT    NOT NULL,
    hash      TEXT    NOT NULL,
    prev_hash TEXT    NOT NULL
  ) STRICT;
`;

const CREATE_SCHEMA = `
  ${CREATE_EVENTS('events')}
  ${CREATE_STREAM_INDEX}
  ${CREATE_ID_INDEX}
  PRAGMA application_id = ${APPLICATION_ID};
  PRAGMA user_version = ${SCHEMA_VERSION};
`;

/**
 * Each migration brings a file from its version to `to`; they run in turn, in the
 * transaction that opens the file. Versions 1 and 2 indexed ids differently: version 1
 * indexed `events (id_key)` directly, version 2 kept the recent keys in a table of their
 * own; either way every key moves into `event_ids` in one sorted pass. Versions 1-3
 * indexed (stream, revision) in the events table itself: the table is copied into one
 * without that index, and the events go into `stream_index`. Stored events are unchanged.
 * A process of an older build still writing to the file would not find or record ids and
 * stream heads the way this one does: upgrade every process sharing a file together (an
 * older build refuses to open a newer file).
 */
const MIGRATIONS: Record<number, { to: number; sql: string }> = {
  1: {
    to: 3,
    sql: `
      ${CREATE_ID_INDEX}
      INSERT INTO event_ids (id_key, position) SELECT id_key, position FROM events ORDER BY id_key, position;
      DROP INDEX events_by_id_key;
    `,
  },
  2: {
    to: 3,
    sql: `
      INSERT INTO event_ids (id_key, position) SELECT id_key, position FROM recent_event_ids ORDER BY id_key, position;
      DROP TABLE recent_event_ids;
    `,
  },
  3: {
    to: 4,
    sql: `
      ${CREATE_EVENTS('events_v4')}
      INSERT INTO events_v4 SELECT * FROM events ORDER BY position;
      DROP TABLE events;
      ALTER TABLE events_v4 RENAME TO events;
      ${CREATE_STREAM_INDEX}
      ${INDEX_EXISTING_EVENTS}
    `,
  },
};

export type EventDatabase = Database.Database;

/** Every connection's settings, the writer thread's included. */
export const CONNECTION_PRAGMAS: readonly string[] = [
  `busy_timeout = ${BUSY_TIMEOUT_MS}`,
  'synchronous = FULL',
  // Statement journals in memory: a merge into an index inside an append's savepoint
  // journals the pages it changes, and on disk that was ~40 extra writes per group commit.
  'temp_store = MEMORY',
  `wal_autocheckpoint = ${WAL_PAGES_PER_CHECKPOINT}`,
];

export function openEventDatabase(path: string): EventDatabase {
  let db: EventDatabase | undefined;
  try {
    mkdirSync(dirname(path), { recursive: true });
    db = new Database(path, { fileMustExist: false });
    for (const pragma of CONNECTION_PRAGMAS) db.pragma(pragma);
    // Before any setting that writes to the file: a file that is not ours stays untouched.
    ensureSchema(db);
    // WAL lets readers in other processes run while one writes; with synchronous=FULL the
    // WAL is synced on every commit, so a committed append survives power loss too.
    const mode = db.pragma('journal_mode = WAL', { simple: true });
    if (mode !== 'wal') throw new Error(`journal_mode stayed ${String(mode)}`);
    return db;
  } catch (error) {
    db?.close();
    if (error instanceof EventStoreUnavailableError) throw error;
    throw new EventStoreUnavailableError(`event store ${path} cannot be opened: ${describe(error)}`, { cause: error });
  }
}

function ensureSchema(db: EventDatabase): void {
  // IMMEDIATE: two processes starting on a new file must not both create the schema.
  db.transaction(() => {
    const applicationId = db.pragma('application_id', { simple: true }) as number;
    const version = db.pragma('user_version', { simple: true }) as number;
    const tableCount = (db.prepare('SELECT count(*) AS n FROM sqlite_schema').get() as { n: number }).n;
    if (applicationId === 0 && tableCount === 0) {
      db.exec(CREATE_SCHEMA);
      return;
    }
    if (applicationId !== APPLICATION_ID) {
      throw new EventStoreUnavailableError(`${db.name} is an SQLite file but not a strata event log`);
    }
    let reached = version;
    for (let migration = MIGRATIONS[reached]; migration !== undefined; migration = MIGRATIONS[reached]) {
      db.exec(migration.sql);
      reached = migration.to;
    }
    if (reached !== version) db.pragma(`user_version = ${reached}`);
    if (reached !== SCHEMA_VERSION) {
      throw new EventStoreUnavailableError(`${db.name} has schema version ${version}; this build reads ${SCHEMA_VERSION}`);
    }
  }).immediate();
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return typeof code === 'string' ? `${code}: ${error.message}` : error.message;
  }
  return String(error);
}
