// The index from event id to position, in two levels (why: see database.ts). The merged
// level is the `event_ids` table. The recent level is not a table: every row of `events`
// carries its id key, so each writing process keeps the newest keys in memory
// (recent-ids.ts), caught up from the events table at the start of each write
// transaction, while it holds the write lock. A single-event commit so writes no page of
// the id index, only when its position is due to merge.
//
// Keys move into `event_ids` one key range at a time, on a schedule fixed by positions
// alone, so every process agrees on what is merged without storing it: the key space is
// cut into MERGE_SLICES ranges, and the append that stores position b × POSITIONS_PER_SLICE
// merges, in key order and inside its own transaction, the keys of range b mod
// MERGE_SLICES from the MERGE_SLICES × POSITIONS_PER_SLICE positions up to that one. So a
// key at a position at or before the last such boundary of its range is in `event_ids`,
// a rolled-back append merges nothing, and no single append pays for a whole merge.
import type { StoredLocation } from '../append-plan.js';
import type { EventDatabase } from './database.js';
import { multiRowInserts } from './insert-rows.js';
import type { InsertRow } from './insert-rows.js';
import { RecentIds } from './recent-ids.js';
import { KeyFilter } from './key-filter.js';
import type { SqlWrites } from './sql-writes.js';

const MERGE_SLICES = 64;
const POSITIONS_PER_SLICE = 512;
/** Keys are 48 bits; each slice is an equal share of that range. */
const KEYS_PER_SLICE = 2 ** 48 / MERGE_SLICES;
/** 2 parameters each, far below SQLite's limit of 32,766. */
const MERGED_ROWS_PER_STATEMENT = 256;

/** How many positions an id stays in the recent level at most. */
export const ID_MERGE_INTERVAL = MERGE_SLICES * POSITIONS_PER_SLICE;

/** The first 48 bits of a (validated, lower-case) UUID: exact in a JavaScript number. */
export function idKey(id: string): number {
  return Number.parseInt(id.slice(0, 8) + id.slice(9, 13), 16);
}

/** Every key at or before this position is in `event_ids`, once the log reaches `head`. */
export function mergedThrough(head: number): number {
  return Math.max(0, (Math.floor(head / POSITIONS_PER_SLICE) - MERGE_SLICES + 1) * POSITIONS_PER_SLICE);
}

/**
 * Appends of at least this many events ask an in-memory filter of the merged keys first
 * (loaded at the first such append), so SQLite looks up only the few keys it cannot rule
 * out. Below it, SQLite looks up every key: a filter is not worth loading for them.
 */
const FILTER_MIN_KEYS = 64;
/** Merged keys read per statement while loading the filter. */
const FILTER_LOAD_CHUNK = 65_536;

const sliceOf = (key: number) => Math.floor(key / KEYS_PER_SLICE);
const boundaryAtOrBefore = (position: number) => Math.floor(position / POSITIONS_PER_SLICE);

/**
 * `headPosition`: the log's last position, 0 when empty. `writtenAt`: a row the current
 * write transaction wrote, which this connection may not see yet (a writer thread's).
 */
export function prepareIdIndex(db: EventDatabase, headPosition: () => number, writtenAt: (position: number) => InsertRow | undefined) {
  const atPosition = db.prepare<[number, string], StoredLocation>('SELECT stream, revision, position FROM events WHERE position = ? AND id = ?');
  const locateMerged = db.prepare<[number, string], StoredLocation>(
    'SELECT stream, revision, position FROM events WHERE position IN (SELECT position FROM event_ids WHERE id_key = ?) AND id = ?',
  );
  const isMerged = db.prepare<[number], number>('SELECT EXISTS (SELECT 1 FROM event_ids WHERE id_key = ?)').pluck();
  // Whether any of an append's keys is merged, in one statement: looking each key up on
  // its own cost ~3.6 µs per id at 200k events, this ~0.7 µs (a join, ~15% faster than
  // an EXISTS per key).
  const countMerged = db
    .prepare<[string], number>('SELECT count(*) FROM json_each(?) AS new_key JOIN event_ids ON event_ids.id_key = new_key.value')
    .pluck();
  const mergedKeysAfter = db.prepare<[number, number], number>('SELECT id_key FROM event_ids WHERE id_key > ? ORDER BY id_key LIMIT ?').pluck();
  // OR IGNORE: a file migrated from an older layout has merged keys ahead of the schedule.
  const mergeSql = multiRowInserts('INSERT OR IGNORE INTO event_ids (id_key, position)', '(?, ?)');

  /** Loaded at this process's first write. */
  let recent: RecentIds | undefined;
  /** The last boundary whose merged keys `recent` has forgotten. */
  let forgottenThrough = 0;
  /**
   * Holds every merged key `recent` does not: loaded from `event_ids` inside a write
   * transaction, then given each key `recent` forgets (merged and committed by then).
   */
  let mergedFilter: KeyFilter | undefined;
  const addToFilter = (key: number) => mergedFilter!.add(key);

  const loadFilter = (): KeyFilter => {
    const filter = new KeyFilter(headPosition());
    for (let [after, chunk] = [-1, mergedKeysAfter.all(-1, FILTER_LOAD_CHUNK)]; chunk.length > 0; chunk = mergedKeysAfter.all(after, FILTER_LOAD_CHUNK)) {
      for (const key of chunk) filter.add(key);
      after = chunk.at(-1)!;
    }
    return filter;
  };

  /** Forgets the keys merged at boundaries up to the log's head: committed, so merged for good. */
  const forgetMerged = (): void => {
    const head = boundaryAtOrBefore(recent!.lastPosition);
    for (let boundary = Math.max(forgottenThrough, head - MERGE_SLICES) + 1; boundary <= head; boundary += 1) {
      recent!.dropThrough(boundary % MERGE_SLICES, boundary * POSITIONS_PER_SLICE, mergedFilter && addToFilter);
    }
    forgottenThrough = Math.max(forgottenThrough, head);
  };

  const mergeSlice = (boundary: number, writes: SqlWrites): void => {
    const through = boundary * POSITIONS_PER_SLICE;
    const values = recent!.sliceBetween(boundary % MERGE_SLICES, through - ID_MERGE_INTERVAL, through);
    for (let start = 0; start < values.length; start += 2 * MERGED_ROWS_PER_STATEMENT) {
      const chunk = values.slice(start, start + 2 * MERGED_ROWS_PER_STATEMENT);
      writes.run(mergeSql(chunk.length / 2), chunk);
    }
  };

  const locate = (recentPositions: readonly number[], key: number, id: string): StoredLocation | undefined => {
    for (const position of recentPositions) {
      const row = writtenAt(position);
      const location = row ? (row.id === id ? row : undefined) : atPosition.get(position, id);
      if (location) return { stream: location.stream, revision: location.revision, position: location.position };
    }
    return locateMerged.get(key, id);
  };

  const anyMerged = (keys: readonly number[]): boolean => {
    if (keys.length >= FILTER_MIN_KEYS) mergedFilter ??= loadFilter();
    const candidates = mergedFilter ? keys.filter((key) => mergedFilter!.mayContain(key)) : keys;
    if (candidates.length <= 1) return candidates.length === 1 && isMerged.get(candidates[0]!) === 1;
    return (countMerged.get(JSON.stringify(candidates)) ?? 0) > 0;
  };

  return {
    /**
     * The newest position the recent level holds, loading it at the first call. At the
     * start of every write transaction, once it holds the write lock, the caller passes
     * every row after it to `add` (other processes' appends included), then calls
     * `caughtUp`. It is also where a savepoint's rollback goes back to (see rolledBack).
     */
    seenThrough: (): number => (recent ??= new RecentIds(MERGE_SLICES, sliceOf, mergedThrough(headPosition()))).lastPosition,
    /** One stored row, in log order. */
    add: (key: number, position: number): void => recent!.add(key, position),
    caughtUp: forgetMerged,
    /** The rows after `position` were rolled back: forget their keys. */
    rolledBack: (position: number): void => {
      recent?.truncateAfter(position);
    },
    /** Where each id is stored, if anywhere, in order; `keys` are the ids' keys. Inside a write transaction. */
    locationsOfIds: (ids: readonly string[], keys: readonly number[]): (StoredLocation | undefined)[] => {
      // Almost always no key is known at all (a retry or a shared 48-bit key is rare), and
      // then no id needs a lookup of its own.
      const recentPositions = keys.map((key) => recent!.positionsOf(key));
      if (recentPositions.every((positions) => positions.length === 0) && !anyMerged(keys)) return ids.map(() => undefined);
      return ids.map((id, index) => locate(recentPositions[index]!, keys[index]!, id));
    },
    /** Call with the keys of one append's rows, right after inserting them at `firstPosition` onwards, in its transaction. */
    appended: (keys: readonly number[], firstPosition: number, writes: SqlWrites): void => {
      keys.forEach((key, index) => recent!.add(key, firstPosition + index));
      const lastPosition = firstPosition + keys.length - 1;
      for (let boundary = Math.ceil(firstPosition / POSITIONS_PER_SLICE); boundary * POSITIONS_PER_SLICE <= lastPosition; boundary += 1) {
        mergeSlice(boundary, writes);
      }
    },
  };
}
