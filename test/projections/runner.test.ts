// The projection runner against a real SQLite event store and read model.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EventStore } from '../../eventstore/port.js';
import { auditProjection, historyOf } from '../../projections/audit.js';
import { prepareCheckpoints } from '../../projections/checkpoints.js';
import { rebuildProjection } from '../../projections/rebuild.js';
import { ProjectionRunner } from '../../projections/runner.js';
import type { Projection } from '../../projections/projection.js';
import type { ReadModelDatabase } from '../../projections/read-model.js';
import { ProjectionStoppedError, ProjectionTimeoutError } from '../../projections/waiters.js';
import { counterEvent, countingProjection, tableRows } from './fixtures/counters.js';
import { createWorkspace, eventually } from './fixtures/workspace.js';
import type { Workspace } from './fixtures/workspace.js';

let workspace: Workspace;
beforeEach(() => {
  workspace = createWorkspace();
});
afterEach(async () => {
  await workspace.dispose();
});

async function running(store: EventStore, db: ReadModelDatabase, projections: Projection[], log: string[] = []) {
  const runner = new ProjectionRunner({ store, db, projections, log: (line) => log.push(line) });
  await runner.start();
  return runner;
}

const totalOf = (db: ReadModelDatabase, stream: string) =>
  db.prepare('SELECT total FROM counter_streams WHERE stream = ?').pluck().get(stream);

async function appendSpread(store: EventStore, count: number, streams = 5): Promise<number> {
  let position = 0;
  for (let index = 0; index < count; index += 1) {
    const { positions } = await store.append(`counter-${index % streams}`, [counterEvent(index)], { expected: 'any' });
    position = positions.at(-1) ?? position;
  }
  return position;
}

describe('waitFor', () => {
  it('resolves only once the appended event is visible in the read model (read-your-writes)', async () => {
    const store = workspace.openStore();
    const db = workspace.openReadModel();
    const runner = await running(store, db, [auditProjection, countingProjection()]);
    try {
      let expectedTotal = 0;
      for (let amount = 1; amount <= 50; amount += 1) {
        const event = counterEvent(amount, 'bob');
        const { positions } = await store.append('counter-a', [event], { expected: 'any' });
        await runner.waitFor(positions[0] ?? -1, 2_000);
        expectedTotal += amount;
        expect(totalOf(db, 'counter-a')).toBe(expectedTotal);
        const history = historyOf(db, 'counter-a');
        expect(history).toHaveLength(amount);
        const [stored] = await store.readStream('counter-a', { fromRevision: amount - 1 });
        expect(history.at(-1)).toMatchObject({
          revision: amount - 1,
          position: positions[0],
          eventId: event.id,
          type: 'CounterAdded.v1',
          actor: { userId: 'bob', projectId: 'demo', roles: ['member'] },
          requestId: event.metadata.requestId,
          hash: stored?.hash,
        });
      }
    } finally {
      await runner.stop();
    }
  });

  it('rejects after its timeout when the log never reaches the position', async () => {
    const store = workspace.openStore();
    const runner = await running(store, workspace.openReadModel(), [countingProjection()]);
    try {
      const head = await appendSpread(store, 3);
      await runner.waitFor(head, 2_000);
      await expect(runner.waitFor(head + 10, 50)).rejects.toBeInstanceOf(ProjectionTimeoutError);
    } finally {
      await runner.stop();
    }
  });
});

describe('versions', () => {
  it('rebuilds a projection whose version changed on start, and only then', async () => {
    const store = workspace.openStore();
    const db = workspace.openReadModel();
    const first = await running(store, db, [countingProjection({ version: 1, factor: 1 })]);
    const head = await appendSpread(store, 40, 4);
    await first.waitFor(head, 2_000);
    await first.stop();
    expect(totalOf(db, 'counter-1')).toBe(1 + 5 + 9 + 13 + 17 + 21 + 25 + 29 + 33 + 37);

    const log: string[] = [];
    const second = await running(store, db, [countingProjection({ version: 2, factor: 10 })], log);
    await second.stop();
    expect(log).toContain('projections: rebuilding counters (version 1 → 2)');
    expect(totalOf(db, 'counter-1')).toBe(10 * (1 + 5 + 9 + 13 + 17 + 21 + 25 + 29 + 33 + 37));
    expect(prepareCheckpoints(db).get('counters')).toMatchObject({ version: 2, position: head, failure: null });

    const quiet: string[] = [];
    const third = await running(store, db, [countingProjection({ version: 2, factor: 10 })], quiet);
    await third.stop();
    expect(quiet.filter((line) => line.includes('rebuilding'))).toEqual([]);
  });
});

describe('a throwing handler', () => {
  it('stops only its own projection, with the event named in the log, and fails waiters at once', async () => {
    const store = workspace.openStore();
    const db = workspace.openReadModel();
    const log: string[] = [];
    const runner = await running(store, db, [auditProjection, countingProjection({ failOnAmount: 13 })], log);
    const bad = counterEvent(13);
    try {
      await store.append('counter-x', [counterEvent(1)], { expected: 'no_stream' });
      const { positions: badAt } = await store.append('counter-x', [bad], { expected: 0 });
      const { positions: lastAt } = await store.append('counter-x', [counterEvent(2)], { expected: 1 });
      const failedPosition = badAt[0] ?? -1;
      const head = lastAt[0] ?? -1;

      await expect(runner.waitFor(head, 5_000)).rejects.toThrow(ProjectionStoppedError);
      await expect(runner.waitFor(head, 5_000)).rejects.toThrow(`failed on CounterAdded.v1 ${bad.id}`);
      const checkpoints = prepareCheckpoints(db);
      await eventually(() => checkpoints.get('audit')?.position === head, 5_000, 'the audit projection to go on');
      expect(historyOf(db, 'counter-x')).toHaveLength(3);
      const stopped = checkpoints.get('counters');
      expect(stopped).toMatchObject({ failedPosition });
      expect(stopped?.failure).toContain('refusing amount 13');
      expect(stopped?.position).toBeLessThan(failedPosition);
      expect(db.prepare('SELECT count(*) FROM counter_applied WHERE position >= ?').pluck().get(failedPosition)).toBe(0);
      expect(log.some((line) => line.includes(bad.id) && line.includes('counters stopped'))).toBe(true);
    } finally {
      await runner.stop();
    }

    // A restart with a fixed handler is the retry.
    const fixed = await running(store, db, [auditProjection, countingProjection()]);
    await fixed.stop();
    expect(totalOf(db, 'counter-x')).toBe(16);
    expect(prepareCheckpoints(db).get('counters')).toMatchObject({ failure: null, failedPosition: null });
  });
});

describe('rebuild beside a live runner', () => {
  it('swapping in tables older than the live ones makes the runner re-read the gap', async () => {
    const store = workspace.openStore();
    const liveDb = workspace.openReadModel();
    const runner = await running(store, liveDb, [countingProjection()]);
    try {
      const rebuiltUpTo = await appendSpread(store, 100);
      await runner.waitFor(rebuiltUpTo, 2_000);
      // The rebuild (another connection, as `strata projections rebuild` would be) reads
      // up to the head it saw at its start; meanwhile the runner moves 50 events further.
      let interleaved = false;
      const storeSeenByRebuild: EventStore = {
        ...store,
        readAll: async (options) => {
          if (!interleaved) {
            interleaved = true;
            await runner.waitFor(await appendSpread(store, 50), 2_000);
          }
          return store.readAll(options);
        },
      };
      const pageSize = 100;
      const result = await rebuildProjection(workspace.openReadModel(), storeSeenByRebuild, countingProjection(), pageSize);
      expect(result.position).toBe(rebuiltUpTo);

      const head = await appendSpread(store, 10);
      await runner.waitFor(head, 2_000);
      expect(liveDb.prepare('SELECT count(*) FROM counter_applied').pluck().get()).toBe(160);
      const fresh = await running(store, workspace.openReadModel('fresh.db'), [countingProjection()]);
      await fresh.stop();
      const freshDb = workspace.openReadModel('fresh.db');
      expect(tableRows(liveDb, 'counter_streams')).toEqual(tableRows(freshDb, 'counter_streams'));
    } finally {
      await runner.stop();
    }
  });
});
