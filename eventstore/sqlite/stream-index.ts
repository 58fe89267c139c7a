// The index from (stream, revision) to position, kept a few positions behind the log.
// Indexing every event as it is written would make a single-event commit dirty two
// b-trees, the row's and its index entry's, and the second page in the WAL costs the
// fsync measurably (raw SQLite: 6-7 points of the disk's fsync rate). So the newest
// events are not in `stream_index` yet: the append that stores a position that is a
// multiple of STREAM_MERGE_INTERVAL adds every event up to that position, in its own
// transaction. Which events are indexed therefore follows from the log's head alone, in
// every process and every read snapshot, and a rolled-back append indexes nothing.
// Reads take the indexed part from `stream_index` and the rest, fewer than the interval,
// by scanning the log's tail; writers keep the tail's stream heads in memory
// (stream-heads.ts).
import type { EventDatabase } from './database.js';
import type { EventRow } from './queries.js';
import type { SqlWrites } from './sql-writes.js';

/** Positions between merges: a merge's cost is shared by this many appends, and no lookup scans more than this many events. */
export const STREAM_MERGE_INTERVAL = 32;

/** Every event at or before this position is in `stream_index`, once the log reaches `head`. */
export function streamMergedThrough(head: number): number {
  return Math.floor(head / STREAM_MERGE_INTERVAL) * STREAM_MERGE_INTERVAL;
}

/** streamMergedThrough(head) in SQL, evaluated in the statement's own snapshot. */
const MERGED_THROUGH = `((SELECT coalesce(max(position), 0) FROM events) / ${STREAM_MERGE_INTERVAL}) * ${STREAM_MERGE_INTERVAL}`;

export const CREATE_STREAM_INDEX = `
  CREATE TABLE stream_index (stream TEXT NOT NULL, revision INTEGER NOT NULL, position INTEGER NOT NULL, PRIMARY KEY (stream, revision)) STRICT, WITHOUT ROWID;
`;

/** Followed by a condition on `position`: indexes those events. */
const INDEX_EVENTS_WHERE = 'INSERT INTO stream_index (stream, revision, position) SELECT stream, revision, position FROM events WHERE';

/** Indexes the events up to the log's head as the schedule has it: for a file whose index is empty. */
export const INDEX_EXISTING_EVENTS = `${INDEX_EVENTS_WHERE} position <= ${MERGED_THROUGH} ORDER BY stream, revision;`;

/** In position order, which for one stream is key order: sorting first cost more than it saved. */
const MERGE = `${INDEX_EVENTS_WHERE} position > ? AND position <= ?`;

/** Columns the index holds too: reads take them from it, so SQLite sees its rows are already in revision order. */
const INDEXED_COLUMNS = new Set(['stream', 'revision', 'position']);

/** `columns`: the events columns a read returns. */
export function prepareStreamIndex(db: EventDatabase, columns: readonly string[]) {
  const indexedHead = db.prepare<[string], { revision: number; hash: string }>(
    'SELECT revision, hash FROM events WHERE position = (SELECT position FROM stream_index WHERE stream = ? ORDER BY revision DESC LIMIT 1)',
  );
  // One compound statement, so both parts come from one snapshot; SQLite merges the two
  // ordered parts and stops at the limit.
  const [fromIndex, fromLog] = [
    columns.map((column) => (INDEXED_COLUMNS.has(column) ? `stream_index.${column}` : `events.${column}`)).join(', '),
    columns.join(', '),
  ];
  const read = (comparison: '>=' | '<=', order: 'ASC' | 'DESC') =>
    db.prepare<[string, number, string, number, number], EventRow>(
      `SELECT ${fromIndex} FROM stream_index JOIN events ON events.position = stream_index.position
         WHERE stream_index.stream = ? AND stream_index.revision ${comparison} ?
       UNION ALL
       SELECT ${fromLog} FROM events WHERE position > ${MERGED_THROUGH} AND stream = ? AND revision ${comparison} ?
       ORDER BY revision ${order} LIMIT ?`,
    );
  const [forwards, backwards] = [read('>=', 'ASC'), read('<=', 'DESC')];

  return {
    /** The stream's last indexed revision and hash, if it has any. */
    indexedHead: (stream: string) => indexedHead.get(stream),
    /** Events of `stream` from `fromRevision` in `direction`, at most `limit` (-1: all). */
    read: (stream: string, direction: 'forwards' | 'backwards', fromRevision: number, limit: number) =>
      (direction === 'forwards' ? forwards : backwards).all(stream, fromRevision, stream, fromRevision, limit),
    /** Call after storing positions `first`…`last`, in their transaction: indexes what the schedule says is due. */
    appended(first: number, last: number, writes: SqlWrites): void {
      const [mergedBefore, mergedAfter] = [streamMergedThrough(first - 1), streamMergedThrough(last)];
      if (mergedAfter > mergedBefore) writes.run(MERGE, [mergedBefore, mergedAfter]);
    },
  };
}
