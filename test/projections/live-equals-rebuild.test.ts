// Property: whatever the appends and however the runner cuts them into transactions, the
// read model it keeps live equals both a rebuild from position 0 and a model of the log.
import fc from 'fast-check';
import { expect, it } from 'vitest';
import type { EventStore } from '../../eventstore/port.js';
import { auditProjection } from '../../projections/audit.js';
import { rebuildProjection } from '../../projections/rebuild.js';
import { ProjectionRunner } from '../../projections/runner.js';
import { counterEvent, countingProjection, tableRows } from './fixtures/counters.js';
import { createWorkspace } from './fixtures/workspace.js';

const append = fc.record({
  // Only `counter-` streams pass the counting projection's filter; the audit takes all.
  stream: fc.oneof(
    fc.integer({ min: 0, max: 199 }).map((n) => `counter-${n}`),
    fc.integer({ min: 0, max: 19 }).map((n) => `other-${n}`),
  ),
  amounts: fc.array(fc.oneof({ arbitrary: fc.integer({ min: -1_000, max: 1_000 }), weight: 9 }, { arbitrary: fc.constant('reset' as const), weight: 1 }), {
    minLength: 3,
    maxLength: 5,
  }),
});

const scenario = fc.record({
  // ≥ 3,400 appends × ≥ 3 events: more than 10,000 events per run.
  appends: fc.array(append, { minLength: 3_400, maxLength: 3_600 }),
  concurrentAppends: fc.integer({ min: 8, max: 40 }),
  maxLiveBatch: fc.integer({ min: 1, max: 700 }),
});

type Append = { stream: string; amounts: (number | 'reset')[] };

interface StreamModel {
  events: number;
  total: number;
  last_revision: number;
}

function modelOf(appends: readonly Append[]): { stream: string; events: number; total: number; last_revision: number }[] {
  const streams = new Map<string, StreamModel>();
  for (const { stream, amounts } of appends) {
    if (!stream.startsWith('counter-')) continue;
    for (const amount of amounts) {
      const state = streams.get(stream) ?? { events: 0, total: 0, last_revision: -1 };
      streams.set(stream, {
        events: state.events + 1,
        total: amount === 'reset' ? 0 : state.total + amount,
        last_revision: state.last_revision + 1,
      });
    }
  }
  return [...streams].sort(([a], [b]) => (a < b ? -1 : 1)).map(([stream, state]) => ({ stream, ...state }));
}

async function appendInWaves(store: EventStore, appends: readonly Append[], concurrency: number): Promise<number> {
  let head = 0;
  for (let start = 0; start < appends.length; start += concurrency) {
    const wave = appends.slice(start, start + concurrency).map(({ stream, amounts }) =>
      store.append(stream, amounts.map((amount) => counterEvent(amount)), { expected: 'any' }),
    );
    for (const { positions } of await Promise.all(wave)) head = Math.max(head, ...positions);
  }
  return head;
}

it('the live read model of >10,000 random events equals its rebuild and the model', { timeout: 300_000 }, async () => {
  await fc.assert(
    fc.asyncProperty(scenario, async ({ appends, concurrentAppends, maxLiveBatch }) => {
      const workspace = createWorkspace();
      try {
        const store = workspace.openStore();
        const live = workspace.openReadModel('live.db');
        const projections = [auditProjection, countingProjection({ streamPrefixes: ['counter-'] })];
        const runner = new ProjectionRunner({ store, db: live, projections, maxLiveBatch, log: () => {} });
        await runner.start();
        const head = await appendInWaves(store, appends, concurrentAppends);
        await runner.waitFor(head, 30_000);
        await runner.stop();
        const eventCount = appends.reduce((sum, { amounts }) => sum + amounts.length, 0);
        expect(eventCount).toBeGreaterThanOrEqual(10_000);
        expect(head).toBe(eventCount);

        const rebuilt = workspace.openReadModel('rebuilt.db');
        for (const projection of projections) await rebuildProjection(rebuilt, store, projection);
        expect(tableRows(live, 'counter_streams')).toEqual(modelOf(appends));
        for (const table of ['counter_streams', 'counter_applied', 'audit_history']) {
          expect(tableRows(live, table), table).toEqual(tableRows(rebuilt, table));
        }
        expect(live.prepare('SELECT count(*) FROM audit_history').pluck().get()).toBe(eventCount);
      } finally {
        await workspace.dispose();
      }
    }),
    { numRuns: 3, endOnFailure: true },
  );
});
