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
  const addRecent = db.prepare<[number, number]>('INSERT INTO recent_event_ids (id_key, position) VALUES (?, ?)');
  const mergeSlice = db.prepare<[number, number]>(
    `INSERT INTO event_ids (id_key, position)
     SELECT id_key, position FROM recent_event_ids WHERE id_key >= ? AND id_key < ? ORDER BY id_key, position`,
  );
  const clearSlice = db.prepare<[number, number]>('DELETE FROM recent_event_ids WHERE id_key >= ? AND id_key < ?');

  return {
    locationOfId: (id: string): StoredLocation | undefined => {
      const key = idKey(id);
      return locate.get(key, key, id);
    },
    add: (key: number, position: number): void => {
      addRecent.run(key, position);
    },
    /** Call with the positions of one append, inside its transaction. */
    mergeIfDue: (firstPosition: number, lastPosition: number): void => {
      const firstBoundary = Math.floor((firstPosition - 1) / POSITIONS_PER_SLICE) + 1;
      const lastBoundary = Math.min(Math.floor(lastPosition / POSITIONS_PER_SLICE), firstBoundary + MERGE_SLICES - 1);
      for (let boundary = firstBoundary; boundary <= lastBoundary; boundary += 1) {
        const from = (boundary % MERGE_SLICES) * KEYS_PER_SLICE;
        mergeSlice.run(from, from + KEYS_PER_SLICE);
        clearSlice.run(from, from + KEYS_PER_SLICE);
      }
    },
  };
}
