// Logs written by older schema versions open with their events unchanged and their
// indexes rebuilt: version 1 indexed events.id_key directly, version 2 kept recent id keys
// in a table of their own, and versions 1-3 indexed (stream, revision) in the events table.
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { EventIdConflictError } from '../../eventstore/port.js';
import { STREAM_MERGE_INTERVAL } from '../../eventstore/sqlite/stream-index.js';
import { counted } from './fixtures/events.js';
import { useSqliteLogFile } from './fixtures/sqlite-log.js';

const { path, open, inspect, rowCount } = useSqliteLogFile();

/** The events table as versions 1-3 had it, rows kept; the current file's stream index dropped. */
const OLD_EVENTS_TABLE = `
  CREATE TABLE events_old (
    position INTEGER PRIMARY KEY, id TEXT NOT NULL, id_key INTEGER NOT NULL, stream TEXT NOT NULL, revision INTEGER NOT NULL,
    type TEXT NOT NULL, data TEXT NOT NULL, metadata TEXT NOT NULL, hash TEXT NOT NULL, prev_hash TEXT NOT NULL,
    UNIQUE (stream, revision)
  ) STRICT;
  INSERT INTO events_old SELECT * FROM events;
  DROP TABLE events;
  ALTER TABLE events_old RENAME TO events;
  DROP TABLE stream_index;
`;

describe('sqlite event log migrations', () => {
  it.each([
    ['1', 'DROP TABLE event_ids; CREATE INDEX events_by_id_key ON events (id_key);'],
    // Version 2 merged part of the keys; the others waited in their own table.
    [
      '2',
      `CREATE TABLE recent_event_ids (id_key INTEGER NOT NULL, position INTEGER NOT NULL, PRIMARY KEY (id_key, position)) STRICT, WITHOUT ROWID;
       DELETE FROM event_ids; INSERT INTO event_ids SELECT id_key, position FROM events WHERE position = 1;
       INSERT INTO recent_event_ids SELECT id_key, position FROM events WHERE position > 1;`,
    ],
    ['3', ''],
  ])('migrates a version %s log: same events, ids and streams still found, the old layout gone', async (version, oldLayout) => {
    const store = open();
    const first = [counted(1), counted(2)];
    const { positions } = await store.append('old', first, { expected: 'no_stream' });
    await store.append('old', [counted(3)], { expected: 1 });
    // Enough events after them that the schedule has indexed the stream's.
    const filler = Array.from({ length: STREAM_MERGE_INTERVAL + 10 }, (_, n) => counted(n));
    await store.append('filler', filler, { expected: 'no_stream' });
    await store.close();
    const db = new Database(path());
    db.exec(`${OLD_EVENTS_TABLE} ${oldLayout} PRAGMA user_version = ${version};`);
    db.close();

    const migrated = open();
    expect((await migrated.append('old', first, { expected: 'no_stream' })).positions).toEqual(positions);
    await expect(migrated.append('new', [first[1]!], { expected: 'no_stream' })).rejects.toBeInstanceOf(EventIdConflictError);
    await migrated.append('old', [counted(4)], { expected: 2 });
    expect((await migrated.readStream('old')).map((event) => event.data)).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }, { n: 4 }]);
    expect(await migrated.readStream('filler', { direction: 'backwards', maxCount: 1 })).toMatchObject([{ revision: filler.length - 1 }]);
    await migrated.close();

    expect(inspect((file) => file.pragma('user_version', { simple: true }))).toBe(4);
    const oldParts = "name IN ('events_by_id_key', 'recent_event_ids') OR name LIKE 'sqlite_autoindex_events%'";
    expect(inspect((file) => file.prepare(`SELECT name FROM sqlite_schema WHERE ${oldParts}`).get())).toBeUndefined();
    // From versions 1 and 2 every key is merged at once, ahead of the schedule; version 3
    // already had today's id layout, and its schedule has merged nothing yet.
    expect(rowCount('event_ids')).toBe(version === '3' ? 0 : 3 + filler.length);
    expect(rowCount('stream_index')).toBe(STREAM_MERGE_INTERVAL);
  });
});
