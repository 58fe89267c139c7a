// The SQLite adapter's two-level id index: ids stay findable (idempotent retries, conflicts
// across streams) after their keys move from the recent level to the merged one, and a
// log written by schema version 1 (one index on events.id_key) is migrated on open.
import Database from 'better-sqlite3';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { NewEvent } from '../../eventstore/port.js';
import { EventIdConflictError } from '../../eventstore/port.js';
import { ID_MERGE_INTERVAL } from '../../eventstore/sqlite/id-index.js';
import { openSqliteEventStore } from '../../eventstore/sqlite/index.js';
import { counted, testEventSchemas } from './fixtures/events.js';

const BATCH = 1_000;

let dir: string;
let path: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'strata-events-ids-'));
  path = join(dir, 'events.db');
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const open = () => openSqliteEventStore({ path, schemas: testEventSchemas() });
const batchOf = (first: number) => Array.from({ length: BATCH }, (_, n) => counted(first + n));

function inspect<T>(query: (db: Database.Database) => T): T {
  const db = new Database(path, { readonly: true });
  try {
    return query(db);
  } finally {
    db.close();
  }
}
const rowCount = (table: string) => inspect((db) => (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n);

describe('sqlite event id index', () => {
  it('finds ids on both levels after appends cross a merge', async () => {
    const store = open();
    const batches: { events: NewEvent[]; expected: number | 'no_stream'; positions: number[] }[] = [];
    let expected: number | 'no_stream' = 'no_stream';
    for (let first = 0; first < ID_MERGE_INTERVAL + 2 * BATCH; first += BATCH) {
      const events = batchOf(first);
      const { nextRevision, positions } = await store.append('ids', events, { expected });
      batches.push({ events, expected, positions });
      expected = nextRevision;
    }
    const head = batches.length * BATCH;
    const [merged, recent] = [rowCount('event_ids'), rowCount('recent_event_ids')];
    expect(merged).toBeGreaterThan(0);
    expect(recent).toBeGreaterThan(0);
    expect(merged + recent).toBe(head);
    // No id waits in the recent level for longer than one merge cycle.
    const overdue = inspect((db) => db.prepare('SELECT count(*) AS n FROM recent_event_ids WHERE position <= ?').get(head - ID_MERGE_INTERVAL)) as { n: number };
    expect(overdue.n).toBe(0);

    for (const batch of [batches[0]!, batches.at(-1)!]) {
      const retry = await store.append('ids', batch.events, { expected: batch.expected });
      expect(retry.positions).toEqual(batch.positions);
      await expect(store.append('elsewhere', [batch.events[BATCH / 2]!], { expected: 'any' })).rejects.toBeInstanceOf(EventIdConflictError);
    }
    expect(await store.headPosition()).toBe(head);
    await store.close();
  });

  it('stores an id sharing its 48-bit key with a stored one as new, and still knows both', async () => {
    const store = open();
    // Same first 48 bits (8+4 hex digits), different ids: the batched key check finds the
    // key, so each id is looked up on its own and compared in full.
    const [first, second] = ['0123abcd-4567-4000-8000-000000000001', '0123abcd-4567-4999-8000-000000000002'].map((id) => ({ ...counted(1), id }));
    const stored = await store.append('keys', [counted(0), first!], { expected: 'no_stream' });
    const shared = await store.append('keys', [second!], { expected: 1 });
    expect(shared.positions).toEqual([stored.positions[1]! + 1]);
    expect((await store.append('keys', [second!], { expected: 1 })).positions).toEqual(shared.positions);
    await expect(store.append('other', [first!], { expected: 'any' })).rejects.toBeInstanceOf(EventIdConflictError);
    await store.close();
  });

  it('migrates a version 1 log: same events, ids still found, one-level index gone', async () => {
    const store = open();
    const first = [counted(1), counted(2)];
    const { positions } = await store.append('old', first, { expected: 'no_stream' });
    await store.close();
    // Rewrite the file into version 1's layout: the events table is the same in both.
    const db = new Database(path);
    db.exec(`DROP TABLE event_ids; DROP TABLE recent_event_ids;
             CREATE INDEX events_by_id_key ON events (id_key); PRAGMA user_version = 1;`);
    db.close();

    const migrated = open();
    expect((await migrated.append('old', first, { expected: 'no_stream' })).positions).toEqual(positions);
    await expect(migrated.append('new', [first[1]!], { expected: 'no_stream' })).rejects.toBeInstanceOf(EventIdConflictError);
    await migrated.append('old', [counted(3)], { expected: 1 });
    expect((await migrated.readStream('old')).map((event) => event.data)).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }]);
    await migrated.close();

    expect(inspect((file) => file.pragma('user_version', { simple: true }))).toBe(2);
    expect(inspect((file) => file.prepare("SELECT name FROM sqlite_schema WHERE name = 'events_by_id_key'").get())).toBeUndefined();
    expect(rowCount('event_ids') + rowCount('recent_event_ids')).toBe(3);
  });
});
