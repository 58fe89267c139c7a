// The audit projection: one row per event of every stream, with who caused it, in which
// request and workflow step, and its chain hash — the history auditors and
// `os-instance-actions` read, without parsing event payloads.
import type { EventMetadata, RecordedEvent } from '../eventstore/port.js';
import { defineProjection } from './projection.js';
import type { ReadModelDatabase } from './read-model.js';

const TABLE = 'audit_history';

export const auditProjection = defineProjection({
  name: 'audit',
  version: 1,
  tables: [TABLE],
  // position is the rowid: a rebuild appends in key order, the fastest way SQLite loads.
  createTables: (t) => `
    CREATE TABLE ${t[TABLE]} (
      position         INTEGER PRIMARY KEY,
      stream           TEXT    NOT NULL,
      revision         INTEGER NOT NULL,
      event_id         TEXT    NOT NULL,
      type             TEXT    NOT NULL,
      actor_user_id    TEXT,
      actor_project_id TEXT,
      actor_roles      TEXT,
      request_id       TEXT,
      correlation_id   TEXT,
      causation_id     TEXT,
      workflow_id      TEXT,
      run_id           TEXT,
      activity         TEXT,
      timestamp        TEXT    NOT NULL,
      hash             TEXT    NOT NULL
    ) STRICT`,
  createIndexes: (t) => `CREATE UNIQUE INDEX ${t[TABLE]}_by_stream ON ${t[TABLE]} (stream, revision)`,
  prepare: (db, t) =>
    db.prepare<[AuditRow]>(
      `INSERT OR REPLACE INTO ${t[TABLE]} VALUES (@position, @stream, @revision, @event_id, @type,
         @actor_user_id, @actor_project_id, @actor_roles, @request_id, @correlation_id, @causation_id,
         @workflow_id, @run_id, @activity, @timestamp, @hash)`,
    ),
  apply: (insert, event) => void insert.run(toRow(event)),
});

/** One entry of a stream's history, oldest first. */
export interface AuditEntry {
  stream: string;
  revision: number;
  position: number;
  eventId: string;
  type: string;
  actor: EventMetadata['actor'];
  requestId: string | null;
  correlationId: string | null;
  causationId: string | null;
  workflowId: string | null;
  runId: string | null;
  activity: string | null;
  timestamp: string;
  hash: string;
}

interface AuditRow {
  position: number;
  stream: string;
  revision: number;
  event_id: string;
  type: string;
  actor_user_id: string | null;
  actor_project_id: string | null;
  /** JSON array; null when the event has no actor (a system step). */
  actor_roles: string | null;
  request_id: string | null;
  correlation_id: string | null;
  causation_id: string | null;
  workflow_id: string | null;
  run_id: string | null;
  activity: string | null;
  timestamp: string;
  hash: string;
}

function toRow({ position, stream, revision, id, type, metadata, hash }: RecordedEvent): AuditRow {
  const { actor } = metadata;
  return {
    position,
    stream,
    revision,
    event_id: id,
    type,
    actor_user_id: actor?.userId ?? null,
    actor_project_id: actor?.projectId ?? null,
    actor_roles: actor ? JSON.stringify(actor.roles) : null,
    request_id: metadata.requestId,
    correlation_id: metadata.correlationId,
    causation_id: metadata.causationId,
    workflow_id: metadata.workflowId,
    run_id: metadata.runId,
    activity: metadata.activity,
    timestamp: metadata.timestamp,
    hash,
  };
}

function toEntry(row: AuditRow): AuditEntry {
  return {
    stream: row.stream,
    revision: row.revision,
    position: row.position,
    eventId: row.event_id,
    type: row.type,
    actor:
      row.actor_user_id === null
        ? null
        : { userId: row.actor_user_id, projectId: row.actor_project_id, roles: JSON.parse(row.actor_roles ?? '[]') as string[] },
    requestId: row.request_id,
    correlationId: row.correlation_id,
    causationId: row.causation_id,
    workflowId: row.workflow_id,
    runId: row.run_id,
    activity: row.activity,
    timestamp: row.timestamp,
    hash: row.hash,
  };
}

export interface HistoryQuery {
  /** First revision to return (inclusive); default 0. */
  fromRevision?: number;
  /** Most entries to return; default all. */
  limit?: number;
}

/** A stream's history in revision order; empty when the stream has no events (or is not projected yet). */
export function historyOf(db: ReadModelDatabase, stream: string, query: HistoryQuery = {}): AuditEntry[] {
  const rows = db
    .prepare<[string, number, number], AuditRow>(
      `SELECT * FROM ${TABLE} WHERE stream = ? AND revision >= ? ORDER BY revision LIMIT ?`,
    )
    .all(stream, query.fromRevision ?? 0, query.limit ?? -1);
  return rows.map(toEntry);
}
