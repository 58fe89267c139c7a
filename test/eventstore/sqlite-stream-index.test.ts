// The SQLite adapter's (stream, revision) index, kept a few positions behind the log:
// reads and stream heads must be the same whether an event is indexed yet or still in
// the log's tail, from the writing connection and from another one, and the index must
// hold exactly the events the schedule says, each once, with rolled-back appends leaving
// nothing behind.
import { describe, expect, it } from 'vitest';
import type { EventStore } from '../../eventstore/port.js';
import { WrongExpectedRevisionError } from '../../eventstore/port.js';
import { STREAM_MERGE_INTERVAL, streamMergedThrough } from '../../eventstore/sqlite/stream-index.js';
import { counted } from './fixtures/events.js';
import { useSqliteLogFile } from './fixtures/sqlite-log.js';

const { open, inspect } = useSqliteLogFile();

/** Every (stream, revision, position) the index holds, and the events the schedule says it should. */
function indexAgainstSchedule() {
  return inspect((db) => {
    const head = (db.prepare('SELECT coalesce(max(position), 0) AS head FROM events').get() as { head: number }).head;
    const rows = (sql: string) => db.prepare(sql).all(streamMergedThrough(head));
    return {
      indexed: rows('SELECT stream, revision, position FROM stream_index WHERE ? IS NOT NULL ORDER BY position'),
      due: rows('SELECT stream, revision, position FROM events WHERE position <= ? ORDER BY position'),
    };
  });
}

async function expectReadsMatch(store: EventStore, model: Map<string, number[]>): Promise<void> {
  for (const [stream, values] of model) {
    const data = async (options: Parameters<EventStore['readStream']>[1]) => (await store.readStream(stream, options)).map((event) => (event.data as { n: number }).n);
    expect(await data({})).toEqual(values);
    const middle = Math.floor(values.length / 2);
    expect(await data({ fromRevision: middle, maxCount: 3 })).toEqual(values.slice(middle, middle + 3));
    expect(await data({ direction: 'backwards', maxCount: 2 })).toEqual(values.slice(-2).reverse());
    expect(await data({ direction: 'backwards', fromRevision: middle })).toEqual(values.slice(0, middle + 1).reverse());
  }
}

describe('sqlite stream index', () => {
  it('reads every stream the same before and after its events are indexed, from either connection', async () => {
    const [writer, reader] = [open(), open()];
    const model = new Map<string, number[]>();
    // Batch sizes that land just before, on and across merge points, over three streams.
    const sizes = [1, STREAM_MERGE_INTERVAL - 2, 1, 1, 7, STREAM_MERGE_INTERVAL, 2 * STREAM_MERGE_INTERVAL + 5, 1, 30, 3];
    for (const [index, size] of sizes.entries()) {
      const stream = `s${index % 3}`;
      const values = model.get(stream) ?? [];
      const events = Array.from({ length: size }, (_, n) => counted(values.length + n));
      const result = await writer.append(stream, events, { expected: values.length === 0 ? 'no_stream' : values.length - 1 });
      expect(result.nextRevision).toBe(values.length + size - 1);
      model.set(stream, [...values, ...events.map((_, n) => values.length + n)]);
      await expectReadsMatch(writer, model);
      await expectReadsMatch(reader, model);
      const { indexed, due } = indexAgainstSchedule();
      expect(indexed).toEqual(due);
    }
    expect(indexAgainstSchedule().indexed.length).toBeGreaterThanOrEqual(4 * STREAM_MERGE_INTERVAL);
    // The other connection appends next: its stream heads include the writer's tail.
    await expect(reader.append('s0', [counted(-1)], { expected: model.get('s0')!.length - 2 })).rejects.toBeInstanceOf(WrongExpectedRevisionError);
    expect((await reader.append('s0', [counted(-1)], { expected: model.get('s0')!.length - 1 })).nextRevision).toBe(model.get('s0')!.length);
    await Promise.all([writer.close(), reader.close()]);
  });

  it('indexes nothing for an append rolled back in a shared transaction, and reuses its positions', async () => {
    const store = open();
    await store.append('filler', Array.from({ length: STREAM_MERGE_INTERVAL - 1 }, (_, n) => counted(n)), { expected: 'no_stream' });
    // One group commit: the first append crosses the merge point, the second fails, the third takes its place.
    const [crossing, failed, after] = await Promise.allSettled([
      store.append('a', [counted(0), counted(1)], { expected: 'no_stream' }),
      store.append('a', [counted(9)], { expected: 5 }),
      store.append('b', [counted(0)], { expected: 'no_stream' }),
    ]);
    expect(crossing.status === 'fulfilled' && crossing.value.positions).toEqual([STREAM_MERGE_INTERVAL, STREAM_MERGE_INTERVAL + 1]);
    expect(failed.status === 'rejected' && failed.reason).toBeInstanceOf(WrongExpectedRevisionError);
    expect(after.status === 'fulfilled' && after.value.positions).toEqual([STREAM_MERGE_INTERVAL + 2]);
    const { indexed, due } = indexAgainstSchedule();
    expect(indexed).toEqual(due);
    expect(indexed.at(-1)).toEqual({ stream: 'a', revision: 0, position: STREAM_MERGE_INTERVAL });
    expect((await store.readStream('a')).map((event) => event.revision)).toEqual([0, 1]);
    await store.close();
  });
});
