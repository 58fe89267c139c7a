// Writes one group-commit batch: one IMMEDIATE transaction (one fsync) holding a
// SAVEPOINT per append, so each append keeps its own expected-revision check and a
// failing one rolls back alone. A batch of few events is written on the store's own
// connection, at once; a large one on the writer thread (writer-thread.ts), which stores
// each chunk of rows while this thread builds the next.
import { assertExpectedRevision, resolveRetry } from '../append-plan.js';
import { canonicalEvent, canonicalJson, canonicalMetadata, chainHash, GENESIS_HASH } from '../hash-chain.js';
import type { AppendResult, ExpectedRevision, NewEvent } from '../port.js';
import { reuseForSameKey } from '../reuse-for-same-key.js';
import type { EventDatabase } from './database.js';
import type { Outcome } from './group-commit.js';
import { idKey } from './id-index.js';
import { ROWS_PER_STATEMENT } from './insert-rows.js';
import type { InsertRow } from './insert-rows.js';
import type { EventQueries } from './queries.js';
import { connectionWrites } from './sql-writes.js';
import type { SqlWrites } from './sql-writes.js';
import type { WriterThread } from './writer-thread.js';

export interface AppendRequest {
  stream: string;
  /** Already validated against the schema registry. */
  events: NewEvent[];
  expected: ExpectedRevision;
}

/**
 * Batches of at least this many events go to the writer thread. Below it, the two round
 * trips to the thread (taking the lock, committing) cost more than the overlap saves, and
 * a single event's append, whose latency is mostly its fsync, would wait for both.
 */
const WRITER_THREAD_MIN_EVENTS = 256;

/** An event's data and metadata in canonical form: the same whichever stream head it follows. */
interface EventTexts {
  data: string[];
  metadata: string[];
}

export function createBatchWriter(db: EventDatabase, queries: EventQueries, writerThread: () => WriterThread) {
  const here = connectionWrites(db);

  function appendInSavepoint(writes: SqlWrites, request: AppendRequest, texts: EventTexts): Outcome<AppendResult> {
    writes.run('SAVEPOINT one_append');
    const before = queries.seenThrough();
    try {
      const value = appendOne(queries, writes, request, texts);
      writes.run('RELEASE one_append');
      return { ok: true, value };
    } catch (error) {
      writes.run('ROLLBACK TO one_append');
      writes.run('RELEASE one_append');
      queries.rolledBack(before);
      return { ok: false, error };
    }
  }

  /** Every append of the batch, once the write lock is held. A lone append needs no savepoint: the transaction is its own unit of rollback. */
  function appendAll(writes: SqlWrites, requests: readonly AppendRequest[], texts: readonly EventTexts[]): Outcome<AppendResult>[] {
    if (requests.length === 1) return [{ ok: true, value: appendOne(queries, writes, requests[0]!, texts[0]!) }];
    return requests.map((request, index) => appendInSavepoint(writes, request, texts[index]!));
  }

  function writeHere(requests: readonly AppendRequest[]): Outcome<AppendResult>[] {
    here.run('BEGIN IMMEDIATE');
    let before: number | undefined;
    try {
      before = queries.beginWrite();
      const outcomes = appendAll(here, requests, requests.map(canonicalTexts));
      here.run('COMMIT');
      return outcomes;
    } catch (error) {
      if (db.inTransaction) here.run('ROLLBACK');
      if (before !== undefined) queries.rolledBack(before);
      throw error;
    }
  }

  async function writeOnThread(requests: readonly AppendRequest[]): Promise<Outcome<AppendResult>[]> {
    const thread = writerThread();
    thread.run('BEGIN IMMEDIATE');
    // Built while the thread waits for the lock.
    const texts = requests.map(canonicalTexts);
    let before: number | undefined;
    try {
      // The thread holds the write lock: nothing commits but this batch, so this
      // connection's reads are current until it commits.
      await thread.sync();
      before = queries.beginWrite();
      const outcomes = appendAll(thread, requests, texts);
      thread.run('COMMIT');
      await thread.sync();
      return outcomes;
    } catch (error) {
      thread.rollback();
      if (before !== undefined) queries.rolledBack(before);
      // A thread that stopped before it took the lock (one that could not start, say)
      // wrote nothing of this batch: it is written here instead.
      if (before === undefined && !thread.running) return writeHere(requests);
      throw error;
    }
  }

  /** Throws when the whole batch failed. */
  return function writeBatch(requests: AppendRequest[]): Outcome<AppendResult>[] | Promise<Outcome<AppendResult>[]> {
    const events = requests.reduce((count, request) => count + request.events.length, 0);
    return events >= WRITER_THREAD_MIN_EVENTS ? writeOnThread(requests) : writeHere(requests);
  };
}

function canonicalTexts({ events }: AppendRequest): EventTexts {
  // Events sharing one metadata object (one command's envelope) share its text.
  const metadataText = reuseForSameKey((event: NewEvent) => event.metadata, (event) => canonicalMetadata(event.metadata));
  return { data: events.map((event) => canonicalJson(event.data)), metadata: events.map(metadataText) };
}

/** Writes one append's rows, a statement's worth at a time, so a writer thread stores each while the next is built. */
function appendOne(queries: EventQueries, writes: SqlWrites, { stream, events, expected }: AppendRequest, texts: EventTexts): AppendResult {
  const ids = events.map((event) => event.id);
  const keys = ids.map(idKey);
  // Every id is looked up: a stored one is either this append's retry or a conflict,
  // wherever it is stored — in this stream or another.
  const original = resolveRetry(stream, expected, ids, queries.locationsOfIds(ids, keys));
  if (original) return original;
  const head = queries.streamHead(stream);
  assertExpectedRevision(stream, expected, head?.revision ?? 'no_stream');
  let prevHash = head?.hash ?? GENESIS_HASH;
  let revision = head?.revision ?? -1;
  const positions: number[] = [];
  for (let start = 0; start < events.length; start += ROWS_PER_STATEMENT) {
    const rows: InsertRow[] = [];
    for (let index = start, position = queries.nextPosition(); index < Math.min(events.length, start + ROWS_PER_STATEMENT); index += 1, position += 1) {
      const { id, type } = events[index]!;
      revision += 1;
      const [data, metadata] = [texts.data[index]!, texts.metadata[index]!];
      const hash = chainHash(prevHash, canonicalEvent({ id, stream, revision, type }, data, metadata));
      rows.push({ position, id, idKey: keys[index]!, stream, revision, type, data, metadata, hash, prevHash });
      positions.push(position);
      prevHash = hash;
    }
    queries.insert(rows, writes);
  }
  return { nextRevision: revision, positions };
}
