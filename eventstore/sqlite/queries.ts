// Every SQL statement the SQLite adapter runs, prepared once per connection, and the
// mapping from a stored row to a RecordedEvent.
import type { EventDatabase } from './database.js';
import type { RecordedEvent } from '../port.js';
import { prepareIdIndex } from './id-index.js';
import { insertRows } from './insert-rows.js';
import { StreamHeads } from './stream-heads.js';
import { prepareStreamIndex, streamMergedThrough } from './stream-index.js';
import type { InsertRow } from './insert-rows.js';
import type { SqlWrites } from './sql-writes.js';

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

const COLUMNS = ['position', 'id', 'stream', 'revision', 'type', 'data', 'metadata', 'hash', 'prev_hash'];
/** SQLite's own cap; a caller without a maxCount means "all of them". */
const NO_LIMIT = -1;

export function prepareQueries(db: EventDatabase) {
  const streams = prepareStreamIndex(db, COLUMNS);
  const allAfter = db.prepare<[number, number], EventRow>(
    `SELECT ${COLUMNS.join(', ')} FROM events WHERE position > ? ORDER BY position ASC LIMIT ?`,
  );
  const head = db.prepare<[], { position: number | null }>('SELECT max(position) AS position FROM events');
  const headPosition = () => head.get()?.position ?? 0;
  /**
   * The rows the current write transaction has written, in position order after
   * `writtenAfter`: a writer thread's are not visible to this connection until committed.
   */
  let written: InsertRow[] = [];
  let writtenAfter = 0;
  const ids = prepareIdIndex(db, headPosition, (position) => (position > writtenAfter ? written[position - writtenAfter - 1] : undefined));
  const heads = new StreamHeads();
  // The stream and hash only of rows whose heads are kept: at a process's first write the
  // recent ids need up to ~33k rows, the heads only those after the last stream merge.
  const rowsAfter = db.prepare<[number, number, number], [number, number, string | null, number, string | null]>(
    'SELECT id_key, position, iif(position > ?, stream, NULL), revision, iif(position > ?, hash, NULL) FROM events WHERE position > ? ORDER BY position',
  ).raw();
  /** Where this process's stream heads start: the stream index's point at its first write. */
  let headsFrom: number | undefined;

  return {
    /** The stream's last revision and hash, if it has events. Inside a write transaction. */
    streamHead: (stream: string) => heads.get(stream) ?? streams.indexedHead(stream),
    /**
     * Call first in every write transaction, once it holds the write lock: brings this
     * process's copies of the newest ids and stream heads up to the log, other processes'
     * appends included. Returns the point a rollback goes back to (see rolledBack).
     */
    beginWrite(): number {
      const from = ids.seenThrough();
      headsFrom ??= streamMergedThrough(headPosition());
      const headsAfter = Math.max(from, headsFrom);
      for (const [key, position, stream, revision, hash] of rowsAfter.all(headsAfter, headsAfter, from)) {
        ids.add(key, position);
        if (stream !== null && hash !== null) heads.add(stream, { revision, hash, position });
      }
      ids.caughtUp();
      heads.committed(ids.seenThrough());
      written = [];
      writtenAfter = ids.seenThrough();
      return writtenAfter;
    },
    /** The position the next inserted row takes: one past the last this transaction knows of. */
    nextPosition: () => ids.seenThrough() + 1,
    seenThrough: ids.seenThrough,
    /** The rows after `position` were rolled back: forget their ids and heads. */
    rolledBack(position: number): void {
      ids.rolledBack(position);
      written.length = Math.max(0, Math.min(written.length, position - writtenAfter));
      heads.truncateAfter(position);
    },
    locationsOfIds: ids.locationsOfIds,
    /** Inserts rows of one append at consecutive positions from nextPosition(), in its transaction. */
    insert(rows: readonly InsertRow[], writes: SqlWrites): void {
      const [first, last] = [rows[0], rows.at(-1)];
      if (first === undefined || last === undefined) return;
      insertRows(rows, writes);
      for (const row of rows) written.push(row);
      ids.appended(rows.map((row) => row.idKey), first.position, writes);
      streams.appended(first.position, last.position, writes);
      heads.add(last.stream, { revision: last.revision, hash: last.hash, position: last.position });
    },
    readStream(stream: string, direction: 'forwards' | 'backwards', fromRevision: number | undefined, maxCount = NO_LIMIT) {
      const from = fromRevision ?? (direction === 'forwards' ? 0 : Number.MAX_SAFE_INTEGER);
      return streams.read(stream, direction, from, maxCount).map(toRecordedEvent);
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
