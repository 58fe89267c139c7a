// Writes one group-commit batch: one IMMEDIATE transaction (one fsync) holding a
// SAVEPOINT per append, so each append keeps its own expected-revision check and a
// failing one rolls back alone.
import { assertExpectedRevision, resolveRetry } from '../append-plan.js';
import { canonicalEvent, canonicalJson, canonicalMetadata, chainHash, GENESIS_HASH } from '../hash-chain.js';
import type { AppendResult, ExpectedRevision, NewEvent } from '../port.js';
import { reuseForSameKey } from '../reuse-for-same-key.js';
import type { EventDatabase } from './database.js';
import { idKey } from './id-index.js';
import type { InsertRow } from './insert-rows.js';
import type { EventQueries } from './queries.js';
import type { Outcome } from './group-commit.js';

export interface AppendRequest {
  stream: string;
  /** Already validated against the schema registry. */
  events: NewEvent[];
  expected: ExpectedRevision;
}

export function createBatchWriter(db: EventDatabase, queries: EventQueries) {
  const [begin, commit, rollback, savepoint, release, rollbackToSavepoint] = [
    'BEGIN IMMEDIATE',
    'COMMIT',
    'ROLLBACK',
    'SAVEPOINT one_append',
    'RELEASE one_append',
    'ROLLBACK TO one_append',
  ].map((sql) => db.prepare(sql));

  function appendInSavepoint(request: AppendRequest): Outcome<AppendResult> {
    savepoint!.run();
    const before = queries.seenThrough();
    try {
      const value = appendOne(queries, request);
      release!.run();
      return { ok: true, value };
    } catch (error) {
      rollbackToSavepoint!.run();
      release!.run();
      queries.rolledBack(before);
      return { ok: false, error };
    }
  }

  /** Runs `write` in one IMMEDIATE transaction, the recent ids brought up to date first. */
  function inTransaction<T>(write: () => T): T {
    begin!.run();
    let before: number | undefined;
    try {
      before = queries.beginWrite();
      const result = write();
      commit!.run();
      return result;
    } catch (error) {
      if (db.inTransaction) rollback!.run();
      if (before !== undefined) queries.rolledBack(before);
      throw error;
    }
  }

  return function writeBatch(requests: AppendRequest[]): Outcome<AppendResult>[] {
    // A lone append needs no savepoint: its transaction is its own unit of rollback.
    if (requests.length === 1) {
      try {
        return [{ ok: true, value: inTransaction(() => appendOne(queries, requests[0]!)) }];
      } catch (error) {
        return [{ ok: false, error }];
      }
    }
    return inTransaction(() => requests.map(appendInSavepoint));
  };
}

function appendOne(queries: EventQueries, { stream, events, expected }: AppendRequest): AppendResult {
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
  // Events sharing one metadata object (one command's envelope) share its text.
  const metadataText = reuseForSameKey((event: NewEvent) => event.metadata, (event) => canonicalMetadata(event.metadata));
  const rows = events.map((event, index): InsertRow => {
    revision += 1;
    const data = canonicalJson(event.data);
    const metadata = metadataText(event);
    const hash = chainHash(prevHash, canonicalEvent({ id: event.id, stream, revision, type: event.type }, data, metadata));
    const row = { id: event.id, idKey: keys[index]!, stream, revision, type: event.type, data, metadata, hash, prevHash };
    prevHash = hash;
    return row;
  });
  const positions = queries.insert(rows);
  return { nextRevision: revision, positions };
}
