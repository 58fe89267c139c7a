// The SQLite adapter's two-level id index: ids stay findable (idempotent retries, conflicts
// across streams) while their keys are recent (in each writer's memory) and after they
// move to the merged table, from a new connection as well as the one that wrote them.
import { describe, expect, it } from 'vitest';
import type { EventStore, NewEvent } from '../../eventstore/port.js';
import { EventIdConflictError, WrongExpectedRevisionError } from '../../eventstore/port.js';
import { ID_MERGE_INTERVAL, mergedThrough } from '../../eventstore/sqlite/id-index.js';
import { counted } from './fixtures/events.js';
import { useSqliteLogFile } from './fixtures/sqlite-log.js';

const BATCH = 1_000;

const { open, inspect, rowCount } = useSqliteLogFile();
const batchOf = (first: number) => Array.from({ length: BATCH }, (_, n) => counted(first + n));

describe('sqlite event id index', () => {
  it('finds ids while recent and once merged, from the writing connection and a new one', async () => {
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
    const merged = rowCount('event_ids');
    expect(merged).toBeGreaterThan(0);
    expect(merged).toBeLessThan(head);
    // Every key the schedule calls merged is in the table; none is there twice.
    const missing = inspect((db) =>
      db.prepare('SELECT count(*) AS n FROM events WHERE position <= ? AND NOT EXISTS (SELECT 1 FROM event_ids WHERE event_ids.position = events.position)').get(mergedThrough(head)),
    ) as { n: number };
    expect(mergedThrough(head)).toBeGreaterThan(0);
    expect(missing.n).toBe(0);
    expect(inspect((db) => db.prepare('SELECT count(DISTINCT position) AS n FROM event_ids').get())).toEqual({ n: merged });

    const [oldest, newest] = [batches[0]!, batches.at(-1)!];
    expect(oldest.positions.at(-1)!).toBeLessThanOrEqual(mergedThrough(head));
    expect(newest.positions[0]!).toBeGreaterThan(mergedThrough(head));
    const retriesFind = async (target: EventStore) => {
      for (const batch of [oldest, newest]) {
        expect((await target.append('ids', batch.events, { expected: batch.expected })).positions).toEqual(batch.positions);
        await expect(target.append('elsewhere', [batch.events[BATCH / 2]!], { expected: 'any' })).rejects.toBeInstanceOf(EventIdConflictError);
        // Among new ids in a large batch, which asks the in-memory filter of merged ids first.
        const large = [...batchOf(10 * head), batch.events[BATCH / 4]!];
        await expect(target.append('elsewhere', large, { expected: 'any' })).rejects.toBeInstanceOf(EventIdConflictError);
      }
    };
    await retriesFind(store);
    const fresh = open();
    await retriesFind(fresh);
    expect(await fresh.headPosition()).toBe(head);
    await Promise.all([store.close(), fresh.close()]);
  });

  it("sees another connection's appends at its next write", async () => {
    const [first, second] = [open(), open()];
    await first.append('mine', [counted(0)], { expected: 'no_stream' }); // loads first's recent keys
    const theirs = [counted(1), counted(2)];
    const { positions } = await second.append('theirs', theirs, { expected: 'no_stream' });
    expect((await first.append('theirs', theirs, { expected: 'no_stream' })).positions).toEqual(positions);
    await expect(first.append('mine', [theirs[1]!], { expected: 'any' })).rejects.toBeInstanceOf(EventIdConflictError);
    await Promise.all([first.close(), second.close()]);
  });

  it('knows ids written earlier in the same transaction; a failed append stores no id', async () => {
    const store = open();
    const [kept, rolledBack] = [[counted(0), counted(1)], [counted(2)]];
    // Issued in one turn of the event loop, so group commit writes them in one transaction.
    const [stored, retried, failed, reused] = await Promise.allSettled([
      store.append('batch', kept, { expected: 'no_stream' }),
      store.append('batch', kept, { expected: 'no_stream' }),
      store.append('batch', rolledBack, { expected: 7 }),
      store.append('other', [counted(3)], { expected: 'no_stream' }),
    ]);
    expect(stored.status === 'fulfilled' && retried.status === 'fulfilled' && retried.value).toEqual(stored.status === 'fulfilled' && stored.value);
    expect(failed.status === 'rejected' && failed.reason).toBeInstanceOf(WrongExpectedRevisionError);
    // The failed append's position went to the next one; its id was never stored.
    expect(reused.status === 'fulfilled' && reused.value.positions).toEqual([3]);
    expect((await store.append('batch', rolledBack, { expected: 1 })).positions).toEqual([4]);
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
});
