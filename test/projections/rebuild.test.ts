// rebuildProjection on its own: the swap, a concurrent second rebuild, a failing handler.
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { EventStore } from '../../eventstore/port.js';
import { ProjectionHandlerError } from '../../projections/apply-events.js';
import { prepareCheckpoints } from '../../projections/checkpoints.js';
import { rebuildProjection, RebuildSupersededError } from '../../projections/rebuild.js';
import type { ReadModelDatabase } from '../../projections/read-model.js';
import { counterEvent, countingProjection, tableRows } from './fixtures/counters.js';
import { createWorkspace } from './fixtures/workspace.js';
import type { Workspace } from './fixtures/workspace.js';

let workspace: Workspace;
let store: EventStore;
beforeEach(async () => {
  workspace = createWorkspace();
  store = workspace.openStore();
  for (let stream = 0; stream < 4; stream += 1) {
    await store.append(`counter-${stream}`, [counterEvent(stream), counterEvent(13), counterEvent(stream)], { expected: 'no_stream' });
  }
});
afterEach(async () => {
  await workspace.dispose();
});

const tablesOf = (db: ReadModelDatabase) =>
  db.prepare("SELECT name FROM sqlite_schema WHERE type IN ('table', 'index') AND name LIKE 'counter%' ORDER BY name").pluck().all();

it('swaps the rebuilt tables and their indexes in under the live names, and records the checkpoint', async () => {
  const db = workspace.openReadModel();
  await rebuildProjection(db, store, countingProjection());
  const first = tableRows(db, 'counter_streams');
  const result = await rebuildProjection(db, store, countingProjection({ version: 3 }));

  expect(result).toMatchObject({ name: 'counters', version: 3, eventsRead: 12, eventsApplied: 12, position: 12 });
  expect(tableRows(db, 'counter_streams')).toEqual(first);
  expect(tablesOf(db)).toEqual(['counter_applied', 'counter_applied_by_stream', 'counter_streams']);
  expect(prepareCheckpoints(db).get('counters')).toMatchObject({ version: 3, position: 12, failure: null });
});

it('stops when a newer rebuild of the same projection takes over, leaving the newer one its tables', async () => {
  const db = workspace.openReadModel();
  let overtaken = false;
  const storeSeenByFirst: EventStore = {
    ...store,
    readAll: async (options) => {
      if (!overtaken) {
        overtaken = true;
        await rebuildProjection(workspace.openReadModel(), store, countingProjection({ version: 2 }));
      }
      return store.readAll(options);
    },
  };
  await expect(rebuildProjection(db, storeSeenByFirst, countingProjection())).rejects.toBeInstanceOf(RebuildSupersededError);
  expect(prepareCheckpoints(db).get('counters')).toMatchObject({ version: 2, position: 12 });
  expect(tablesOf(db)).toEqual(['counter_applied', 'counter_applied_by_stream', 'counter_streams']);
  expect(db.prepare('SELECT count(*) FROM counter_applied').pluck().get()).toBe(12);
});

it('leaves the live tables untouched when a handler throws during the rebuild', async () => {
  const db = workspace.openReadModel();
  await rebuildProjection(db, store, countingProjection());
  const before = tableRows(db, 'counter_streams');
  const failing = rebuildProjection(db, store, countingProjection({ version: 2, failOnAmount: 13 }));
  await expect(failing).rejects.toBeInstanceOf(ProjectionHandlerError);
  await expect(failing).rejects.toThrow(/failed on CounterAdded\.v1 .* \(stream counter-0@1, position 2\): refusing amount 13/);
  expect(tableRows(db, 'counter_streams')).toEqual(before);
  expect(prepareCheckpoints(db).get('counters')).toMatchObject({ version: 1, position: 12 });
  expect(tablesOf(db)).toEqual(['counter_applied', 'counter_applied_by_stream', 'counter_streams']);
});
