// Each projection's place in the log, kept in the same file (and written in the same
// transaction) as its rows, so rows and checkpoint can never disagree.
import type { ReadModelDatabase } from './read-model.js';

export interface Checkpoint {
  name: string;
  /** Projection version the live tables were built with. */
  version: number;
  /** Every event up to and including this position has been applied (or passed by). */
  position: number;
  /** Why the projection stopped, when a handler threw; null while healthy. */
  failure: string | null;
  failedPosition: number | null;
  updatedAt: string;
}

interface CheckpointRow {
  name: string;
  version: number;
  position: number;
  failure: string | null;
  failed_position: number | null;
  updated_at: string;
}

export function prepareCheckpoints(db: ReadModelDatabase) {
  const select = db.prepare<[string], CheckpointRow>('SELECT * FROM projection_checkpoints WHERE name = ?');
  const selectAll = db.prepare<[], CheckpointRow>('SELECT * FROM projection_checkpoints ORDER BY name');
  const advance = db.prepare<[number, string, string]>(
    'UPDATE projection_checkpoints SET position = ?, updated_at = ? WHERE name = ?',
  );
  const fail = db.prepare<[string, number, string, string]>(
    'UPDATE projection_checkpoints SET failure = ?, failed_position = ?, updated_at = ? WHERE name = ?',
  );
  const clearFailure = db.prepare<[string, string]>(
    'UPDATE projection_checkpoints SET failure = NULL, failed_position = NULL, updated_at = ? WHERE name = ?',
  );
  const install = db.prepare<[string, number, number, string]>(
    `INSERT INTO projection_checkpoints (name, version, position, updated_at) VALUES (?, ?, ?, ?)
     ON CONFLICT (name) DO UPDATE SET version = excluded.version, position = excluded.position,
       failure = NULL, failed_position = NULL, updated_at = excluded.updated_at`,
  );
  const now = () => new Date().toISOString();

  return {
    get: (name: string): Checkpoint | undefined => {
      const row = select.get(name);
      return row && toCheckpoint(row);
    },
    all: (): Checkpoint[] => selectAll.all().map(toCheckpoint),
    advance: (name: string, position: number) => void advance.run(position, now(), name),
    markFailed: (name: string, position: number, message: string) => void fail.run(message, position, now(), name),
    clearFailure: (name: string) => void clearFailure.run(now(), name),
    /** After a rebuild: new tables, new version, failure forgotten. */
    install: (name: string, version: number, position: number) => void install.run(name, version, position, now()),
  };
}

export type Checkpoints = ReturnType<typeof prepareCheckpoints>;

function toCheckpoint(row: CheckpointRow): Checkpoint {
  return {
    name: row.name,
    version: row.version,
    position: row.position,
    failure: row.failure,
    failedPosition: row.failed_position,
    updatedAt: row.updated_at,
  };
}
