// Every SQL statement the SQLite adapter runs, prepared once per connection, and the
// mapping from a stored row to a RecordedEvent.
import type { EventDatabase } from './database.js';
import type { RecordedEvent } from '../port.js';
import { prepareIdIndex } from './id-index.js';
import { prepareRowInserts } from './insert-rows.js';
import type { InsertRow } from './insert-rows.js';

export interface EventRow {
  position: number;
  id: string;
  stream: string;
  revision: number;
  type: string;
  data: string;
  metadata: string;
  hash: string;
  prev_hash: string;
}

const COLUMNS = 'position, id, stream, revision, type, data, metadata, hash, prev_hash';
/** SQLite's own cap; a caller without a maxCount means "all of them". */
const NO_LIMIT = -1;

export function prepareQueries(db: EventDatabase) {
  const streamHead = db.prepare<[string], { revision: number; hash: string }>(
    'SELECT revision, hash FROM events WHERE stream = ? ORDER BY revision DESC LIMIT 1',
  );
  const insertRows = prepareRowInserts(db);
  const streamForwards = db.prepare<[string, number, number], EventRow>(
    `SELECT ${COLUMNS} FROM events WHERE stream = ? AND revision >= ? ORDER BY revision ASC LIMIT ?`,
  );
  const streamBackwards = db.prepare<[string, number, number], EventRow>(
    `SELECT ${COLUMNS} FROM events WHERE stream = ? AND revision <= ? ORDER BY revision DESC LIMIT ?`,
  );
  const allAfter = db.prepare<[number, number], EventRow>(
    `SELECT ${COLUMNS} FROM events WHERE position > ? ORDER BY position ASC LIMIT ?`,
  );
  const head = db.prepare<[], { position: number | null }>('SELECT max(position) AS position FROM events');
  const headPosition = () => head.get()?.position ?? 0;
  const ids = prepareIdIndex(db, headPosition);

  return {
    streamHead: (stream: string) => streamHead.get(stream),
    beginWrite: ids.beginWrite,
    seenThrough: ids.seenThrough,
    rolledBack: ids.rolledBack,
    locationsOfIds: ids.locationsOfIds,
    /** Inserts an append's rows, in its transaction; returns their positions, in order. */
    insert(rows: readonly InsertRow[]): number[] {
      const positions = insertRows(rows);
      if (positions.length > 0) ids.appended(rows.map((row) => row.idKey), positions[0]!);
      return positions;
    },
    readStream(stream: string, direction: 'forwards' | 'backwards', fromRevision: number | undefined, maxCount = NO_LIMIT) {
      const rows =
        direction === 'forwards'
          ? streamForwards.all(stream, fromRevision ?? 0, maxCount)
          : streamBackwards.all(stream, fromRevision ?? Number.MAX_SAFE_INTEGER, maxCount);
      return rows.map(toRecordedEvent);
    },
    readAll: (after = 0, maxCount = NO_LIMIT) => allAfter.all(after, maxCount).map(toRecordedEvent),
    headPosition,
  };
}

export type EventQueries = ReturnType<typeof prepareQueries>;

function toRecordedEvent(row: EventRow): RecordedEvent {
  return {
    id: row.id,
    stream: row.stream,
    revision: row.revision,
    position: row.position,
    type: row.type,
    data: JSON.parse(row.data) as unknown,
    metadata: JSON.parse(row.metadata) as RecordedEvent['metadata'],
    hash: row.hash,
    prevHash: row.prev_hash,
  };
}
