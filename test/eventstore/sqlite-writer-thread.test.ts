// Large batches are written by a second connection on a worker thread while the store's
// thread builds the rows. What must hold: the thread runs exactly what it is sent, in
// order; a failure fails the whole batch and leaves nothing behind; and a batch written
// there reads back exactly as one written by the store's own connection, retries and
// failing appends within the batch included.
import { describe, expect, it } from 'vitest';
import { verifyChain } from '../../eventstore/hash-chain.js';
import { EventIdConflictError, WrongExpectedRevisionError } from '../../eventstore/port.js';
import { createBatchWriter } from '../../eventstore/sqlite/append-batch.js';
import { CONNECTION_PRAGMAS, openEventDatabase } from '../../eventstore/sqlite/database.js';
import { prepareQueries } from '../../eventstore/sqlite/queries.js';
import { lazyWriterThread, WriterThread } from '../../eventstore/sqlite/writer-thread.js';
import { counted } from './fixtures/events.js';
import { useSqliteLogFile } from './fixtures/sqlite-log.js';

const { path, open, inspect, change } = useSqliteLogFile();
const countedFrom = (first: number, length: number) => Array.from({ length }, (_, n) => counted(first + n));

describe('WriterThread', () => {
  it('runs statements in order; a failure fails the next sync, rolls its transaction back, and the thread goes on', async () => {
    await open().close(); // creates the file
    const thread = new WriterThread(path(), CONNECTION_PRAGMAS);
    try {
      thread.run('CREATE TABLE scratch (n INTEGER PRIMARY KEY)');
      thread.run('BEGIN IMMEDIATE');
      thread.run('INSERT INTO scratch (n) VALUES (?)', [1]);
      thread.run('INSERT INTO scratch (n) VALUES (?)', [1]);
      thread.run('INSERT INTO scratch (n) VALUES (?)', [2]);
      thread.run('COMMIT');
      await expect(thread.sync()).rejects.toMatchObject({ code: 'SQLITE_CONSTRAINT_PRIMARYKEY' });
      expect(inspect((db) => db.prepare('SELECT n FROM scratch').pluck().all())).toEqual([]);

      thread.run('INSERT INTO scratch (n) VALUES (?)', [3]);
      await thread.sync();
      expect(inspect((db) => db.prepare('SELECT n FROM scratch').pluck().all())).toEqual([3]);
    } finally {
      await thread.close();
    }
    expect(thread.running).toBe(false);
    await expect(thread.sync()).rejects.toThrow(/writer thread exited/);
  });
});

type BatchWriter = ReturnType<typeof createBatchWriter>;
type Threads = ReturnType<typeof lazyWriterThread>;

/**
 * A batch writer on this test's (new) file and its own connection, whose writer thread is
 * `threadFor(threads)`; everything is closed after `use`.
 */
async function withBatchWriter(use: (writeBatch: BatchWriter, threads: Threads) => Promise<void>, threadFor = (threads: Threads) => threads.get()): Promise<void> {
  await open().close(); // creates the file
  const db = openEventDatabase(path());
  const threads = lazyWriterThread(path(), CONNECTION_PRAGMAS);
  try {
    await use(createBatchWriter(db, prepareQueries(db), () => threadFor(threads)), threads);
  } finally {
    await threads.close();
    db.close();
  }
}

describe('large batches', () => {
  it('go to the writer thread from 256 events; smaller ones are written at once', async () => {
    let asked = 0;
    const countAsks = (threads: Threads) => {
      asked += 1;
      return threads.get();
    };
    await withBatchWriter(async (writeBatch) => {
      const small = writeBatch([{ stream: 's', events: countedFrom(0, 255), expected: 'no_stream' }]);
      expect(Array.isArray(small) && asked).toBe(0);
      const large = writeBatch([{ stream: 's', events: countedFrom(255, 256), expected: 254 }]);
      expect(large).toBeInstanceOf(Promise);
      expect(asked).toBe(1);
      expect(await large).toEqual([{ ok: true, value: { nextRevision: 510, positions: Array.from({ length: 256 }, (_, n) => 256 + n) } }]);
    }, countAsks);
  });

  it('fail whole when a statement fails there, keep nothing, and forget the ids and heads they held', async () => {
    const [first, second] = [countedFrom(0, 300), countedFrom(300, 300)];
    await withBatchWriter(async (writeBatch, threads) => {
      await writeBatch([{ stream: 's', events: first, expected: 'no_stream' }]);
      change("CREATE TRIGGER trouble BEFORE INSERT ON events WHEN NEW.position = 450 BEGIN SELECT RAISE(ABORT, 'disk trouble'); END");
      await expect(writeBatch([{ stream: 's', events: second, expected: 299 }])).rejects.toThrow(/disk trouble/);
      expect(inspect((file) => file.prepare('SELECT max(position) FROM events').pluck().get())).toBe(300);
      change('DROP TRIGGER trouble');
      // The same ids again: new, not a retry, and after revision 299, not 599.
      const [outcome] = await writeBatch([{ stream: 's', events: second, expected: 299 }]);
      expect(outcome).toEqual({ ok: true, value: { nextRevision: 599, positions: Array.from({ length: 300 }, (_, n) => 301 + n) } });
      // A thread that stopped is replaced by the next large batch.
      await threads.get().close();
      const [after] = await writeBatch([{ stream: 's', events: countedFrom(600, 300), expected: 599 }]);
      expect(after?.ok).toBe(true);
    });
  });

  it("are written on the store's own connection when the thread cannot start", async () => {
    // The thread opens its connection with fileMustExist: this one stops at once.
    const unstartable = new WriterThread(`${path()}.missing`, CONNECTION_PRAGMAS);
    try {
      await withBatchWriter(async (writeBatch) => {
        const [outcome] = await writeBatch([{ stream: 's', events: countedFrom(0, 300), expected: 'no_stream' }]);
        expect(unstartable.running).toBe(false);
        expect(outcome).toEqual({ ok: true, value: { nextRevision: 299, positions: Array.from({ length: 300 }, (_, n) => 1 + n) } });
        expect(inspect((file) => file.prepare('SELECT count(*) FROM events').pluck().get())).toBe(300);
      }, () => unstartable);
    } finally {
      await unstartable.close();
    }
  });

  it('read back as if written at once: retries and failing appends in the same batch included', async () => {
    const store = open();
    await store.append('other', [counted(-1)], { expected: 'no_stream' });
    const [first, second] = [countedFrom(0, 300), countedFrom(300, 300)];
    // One turn of the event loop: group commit writes them as one batch of 902 events.
    const [stored, retried, wrong, small, next] = await Promise.allSettled([
      store.append('large', first, { expected: 'no_stream' }),
      store.append('large', first, { expected: 'no_stream' }),
      store.append('large', countedFrom(900, 1), { expected: 5 }),
      store.append('other', [counted(-2)], { expected: 0 }),
      store.append('large', second, { expected: 299 }),
    ]);
    const firstPositions = Array.from({ length: 300 }, (_, n) => 2 + n);
    expect(stored).toEqual({ status: 'fulfilled', value: { nextRevision: 299, positions: firstPositions } });
    expect(retried).toEqual(stored);
    expect(wrong.status === 'rejected' && wrong.reason).toBeInstanceOf(WrongExpectedRevisionError);
    expect(small).toEqual({ status: 'fulfilled', value: { nextRevision: 1, positions: [302] } });
    expect(next).toEqual({ status: 'fulfilled', value: { nextRevision: 599, positions: Array.from({ length: 300 }, (_, n) => 303 + n) } });

    const large = await store.readStream('large');
    expect(large.map((event) => event.id)).toEqual([...first, ...second].map((event) => event.id));
    const all = await store.readAll();
    expect(all.map((event) => event.position)).toEqual(Array.from({ length: 602 }, (_, n) => 1 + n));
    expect(verifyChain(all)).toBeNull();
    // An id of the batch stored a moment ago, in a large batch to another stream: a conflict.
    await expect(store.append('elsewhere', [...countedFrom(1_000, 299), first[7]!], { expected: 'any' })).rejects.toBeInstanceOf(EventIdConflictError);
    expect(await store.headPosition()).toBe(602);
    await store.close();
  });
});
