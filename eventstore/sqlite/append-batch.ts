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
    try {
      const value = appendOne(queries, request);
      release!.run();
      return { ok: true, value };
    } catch (error) {
      rollbackToSavepoint!.run();
      release!.run();
      return { ok: false, error };
    }
  }

  /** A lone append needs no savepoint: its transaction is its own unit of rollback. */
  function writeAlone(request: AppendRequest): Outcome<AppendResult>[] {
    begin!.run();
    try {
      const value = appendOne(queries, request);
      commit!.run();
      return [{ ok: true, value }];
    } catch (error) {
      if (db.inTransaction) rollback!.run();
      return [{ ok: false, error }];
    }
  }

  return function writeBatch(requests: AppendRequest[]): Outcome<AppendResult>[] {
    if (requests.length === 1) return writeAlone(requests[0]!);
    begin!.run();
    try {
      const outcomes = requests.map(appendInSavepoint);
      commit!.run();
      return outcomes;
    } catch (error) {
      if (db.inTransaction) rollback!.run();
      throw error;
    }
  };
}

function appendOne(queries: EventQueries, { stream, events, expected }: AppendRequest): AppendResult {
  const ids = events.map((event) => event.id);
  // Every id is looked up: a stored one is either this append's retry or a conflict,
  // wherever it is stored — in this stream or another.
  const original = resolveRetry(stream, expected, ids, queries.locationsOfIds(ids));
  if (original) return original;
  const head = queries.streamHead(stream);
  assertExpectedRevision(stream, expected, head?.revision ?? 'no_stream');
  let prevHash = head?.hash ?? GENESIS_HASH;
  let revision = head?.revision ?? -1;
  // Events sharing one metadata object (one command's envelope) share its text.
  const metadataText = reuseForSameKey((event: NewEvent) => event.metadata, (event) => canonicalMetadata(event.metadata));
  const rows = events.map((event): InsertRow => {
    revision += 1;
    const data = canonicalJson(event.data);
    const metadata = metadataText(event);
    const hash = chainHash(prevHash, canonicalEvent({ id: event.id, stream, revision, type: event.type }, data, metadata));
    const row = { id: event.id, idKey: idKey(event.id), stream, revision, type: event.type, data, metadata, hash, prevHash };
    prevHash = hash;
    return row;
  });
  const positions = queries.insert(rows);
  return { nextRevision: revision, positions };
}
