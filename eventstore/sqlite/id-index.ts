// The index from event id to position, in two levels (why: see database.ts). New ids go
// to `recent_event_ids` and move into `event_ids` one key range at a time: the key space
// is cut into MERGE_SLICES ranges, and each append that crosses a multiple of
// POSITIONS_PER_SLICE moves the recent keys of the next range, in key order, inside its
// own transaction. So every process sharing the file sees one consistent index, a
// rolled-back append merges nothing, each id waits at most MERGE_SLICES ×
// POSITIONS_PER_SLICE positions in the recent level, and no single append pays for a
// whole merge (one full merge at a million events took 0.1-0.6 s; a slice is 1/64 of it).
import type { StoredLocation } from '../append-plan.js';
import type { EventDatabase } from './database.js';

const MERGE_SLICES = 64;
const POSITIONS_PER_SLICE = 512;
/** Keys are 48 bits; each slice is an equal share of that range. */
const KEYS_PER_SLICE = 2 ** 48 / MERGE_SLICES;

/** How many positions an id stays in the recent level at most. */
export const ID_MERGE_INTERVAL = MERGE_SLICES * POSITIONS_PER_SLICE;

/** The first 48 bits of a (validated, lower-case) UUID: exact in a JavaScript number. */
export function idKey(id: string): number {
  return Number.parseInt(id.slice(0, 8) + id.slice(9, 13), 16);
}

export function prepareIdIndex(db: EventDatabase) {
  const locate = db.prepare<[number, number, string], StoredLocation>(
    `SELECT stream, revision, position FROM events
     WHERE position IN (SELECT position FROM event_ids WHERE id_key = ? UNION ALL SELECT position FROM recent_event_ids WHERE id_key = ?)
       AND id = ?`,
  );
  // Whether any of an append's keys is indexed at all, in one statement: looking each id
  // up on its own cost ~3.6 µs per id at 200k events, this ~0.7 µs. Almost always none is
  // (a retry or a shared 48-bit key is rare), and then no id needs a lookup of its own.
  const countIndexedKeys = db
    .prepare<[string], number>(
      `SELECT count(*) FROM json_each(?) AS new_key
       WHERE EXISTS (SELECT 1 FROM event_ids WHERE id_key = new_key.value)
          OR EXISTS (SELECT 1 FROM recent_event_ids WHERE id_key = new_key.value)`,
    )
    .pluck();
  // From the rows just inserted, in one statement rather than one per event; in key
  // order, so the b-tree is walked forwards instead of entered afresh for every key.
  const addRecent = db.prepare<[number, number]>(
    'INSERT INTO recent_event_ids (id_key, position) SELECT id_key, position FROM events WHERE position BETWEEN ? AND ? ORDER BY id_key, position',
  );
  const mergeSlice = db.prepare<[number, number]>(
    `INSERT INTO event_ids (id_key, position)
     SELECT id_key, position FROM recent_event_ids WHERE id_key >= ? AND id_key < ? ORDER BY id_key, position`,
  );
  const clearSlice = db.prepare<[number, number]>('DELETE FROM recent_event_ids WHERE id_key >= ? AND id_key < ?');

  const mergeIfDue = (firstPosition: number, lastPosition: number): void => {
    const firstBoundary = Math.floor((firstPosition - 1) / POSITIONS_PER_SLICE) + 1;
    const lastBoundary = Math.min(Math.floor(lastPosition / POSITIONS_PER_SLICE), firstBoundary + MERGE_SLICES - 1);
    for (let boundary = firstBoundary; boundary <= lastBoundary; boundary += 1) {
      const from = (boundary % MERGE_SLICES) * KEYS_PER_SLICE;
      mergeSlice.run(from, from + KEYS_PER_SLICE);
      clearSlice.run(from, from + KEYS_PER_SLICE);
    }
  };

  return {
    /** Where each id is stored, if anywhere, in order. */
    locationsOfIds: (ids: readonly string[]): (StoredLocation | undefined)[] => {
      if (countIndexedKeys.get(JSON.stringify(ids.map(idKey))) === 0) return ids.map(() => undefined);
      return ids.map((id) => {
        const key = idKey(id);
        return locate.get(key, key, id);
      });
    },
    /** Call with the positions of one append, right after inserting its events, in its transaction. */
    appended: (firstPosition: number, lastPosition: number): void => {
      addRecent.run(firstPosition, lastPosition);
      mergeIfDue(firstPosition, lastPosition);
    },
  };
}
