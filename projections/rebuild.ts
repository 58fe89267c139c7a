// Rebuilding a projection: replay the whole log into fresh `<table>__rebuild` tables,
// one transaction per page, then swap them in atomically. Live readers see the old rows
// until the swap commits; a runner that went past the rebuilt position notices its
// checkpoint moved back and re-reads the gap (see ProjectionLane).
import { randomUUID } from 'node:crypto';
import type { EventStore, RecordedEvent } from '../eventstore/port.js';
import { applyEvents } from './apply-events.js';
import { prepareCheckpoints } from './checkpoints.js';
import { liveTableNames, rebuildTableNames } from './projection.js';
import type { Projection } from './projection.js';
import type { ReadModelDatabase } from './read-model.js';

/** Large pages amortise the store's query and the commit; 5,000 events stay well under 50 MB. */
export const REBUILD_PAGE_SIZE = 5_000;

export interface RebuildResult {
  name: string;
  version: number;
  /** Events read from the log. */
  eventsRead: number;
  /** Events the projection's filter admitted. */
  eventsApplied: number;
  /** Checkpoint the rebuilt tables start from. */
  position: number;
  seconds: number;
}

/** Another rebuild of the same projection started after this one: this one stops and leaves the tables to it. */
export class RebuildSupersededError extends Error {
  override readonly name = 'RebuildSupersededError';
}

export async function rebuildProjection(
  db: ReadModelDatabase,
  store: EventStore,
  projection: Projection,
  pageSize = REBUILD_PAGE_SIZE,
): Promise<RebuildResult> {
  const started = performance.now();
  const fresh = rebuildTableNames(projection);
  const live = liveTableNames(projection);
  const ownership = prepareOwnership(db, projection.name, randomUUID());
  const checkpoints = prepareCheckpoints(db);

  db.transaction(() => {
    ownership.claim();
    for (const table of projection.tables) db.exec(`DROP TABLE IF EXISTS ${fresh[table]}`);
    db.exec(projection.createTables(fresh));
  }).immediate();

  const apply = projection.bind(db, fresh);
  const loadPage = db.transaction((page: readonly RecordedEvent[]) => {
    ownership.assertOwned();
    return applyEvents(projection, apply, page, 0);
  });
  // Everything up to the head seen now; later events reach the tables through the runner.
  const until = await store.headPosition();
  let position = 0;
  let eventsRead = 0;
  let eventsApplied = 0;
  try {
    while (position < until) {
      const page = await store.readAll({ after: position, maxCount: pageSize });
      const last = page.at(-1);
      if (!last) break;
      eventsApplied += loadPage.immediate(page);
      eventsRead += page.length;
      position = last.position;
    }
  } catch (error) {
    abandon(db, projection, ownership);
    throw error;
  }

  db.transaction(() => {
    ownership.assertOwned();
    for (const table of projection.tables) {
      db.exec(`DROP TABLE IF EXISTS ${live[table]}`);
      db.exec(`ALTER TABLE ${fresh[table]} RENAME TO ${live[table]}`);
    }
    db.exec(projection.createIndexes(live));
    checkpoints.install(projection.name, projection.version, position);
    ownership.release();
  }).immediate();

  const seconds = (performance.now() - started) / 1000;
  return { name: projection.name, version: projection.version, eventsRead, eventsApplied, position, seconds };
}

/** A failed rebuild leaves the live tables as they were and drops its half-filled ones. */
function abandon(db: ReadModelDatabase, projection: Projection, ownership: Ownership): void {
  const fresh = rebuildTableNames(projection);
  db.transaction(() => {
    if (!ownership.owned()) return;
    for (const table of projection.tables) db.exec(`DROP TABLE IF EXISTS ${fresh[table]}`);
    ownership.release();
  }).immediate();
}

type Ownership = ReturnType<typeof prepareOwnership>;

/** Which rebuild owns the `__rebuild` tables, so two concurrent rebuilds never fill the same ones. */
function prepareOwnership(db: ReadModelDatabase, name: string, token: string) {
  const claim = db.prepare<[string, string, string]>(
    'INSERT OR REPLACE INTO projection_rebuilds (name, token, started_at) VALUES (?, ?, ?)',
  );
  const owner = db.prepare<[string], { token: string }>('SELECT token FROM projection_rebuilds WHERE name = ?');
  const release = db.prepare<[string]>('DELETE FROM projection_rebuilds WHERE name = ?');
  const owned = () => owner.get(name)?.token === token;
  return {
    claim: () => void claim.run(name, token, new Date().toISOString()),
    owned,
    assertOwned() {
      if (!owned()) throw new RebuildSupersededError(`a newer rebuild of ${name} took over; this one stopped`);
    },
    release: () => void release.run(name),
  };
}
