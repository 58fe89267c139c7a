// Suite `projections`: how fast a read model rebuilds from the log (against reading the
// log alone, in the same run), and how far behind the log a live read model runs at a
// steady append rate (append committed → visible to a reader of the read model).
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import type { EventStore, NewEvent } from '../eventstore/port.js';
import { EventSchemaRegistry } from '../eventstore/schemas.js';
import { openSqliteEventStore } from '../eventstore/sqlite/index.js';
import { auditProjection } from '../projections/audit.js';
import { openReadModel } from '../projections/read-model.js';
import { rebuildProjection, REBUILD_PAGE_SIZE } from '../projections/rebuild.js';
import { ProjectionRunner } from '../projections/runner.js';
import { testMetadata } from '../test/eventstore/fixtures/events.js';
import type { Figure } from './run.js';

const LOG_EVENTS = 1_000_000;
const FILL_BATCH = 1_000;
const STREAMS = 10_000;
const STEADY_RATE_PER_SECOND = 1_000;
const STEADY_SECONDS = 10;
const LAG_GOAL_P99_MS = 20;

const schemas = new EventSchemaRegistry({
  'ImageStatusChanged.v1': z.object({ imageId: z.string(), from: z.string(), to: z.string() }),
});

function imageEvent(n: number): NewEvent {
  return {
    id: randomUUID(),
    type: 'ImageStatusChanged.v1',
    data: { imageId: `image-${n % STREAMS}`, from: 'queued', to: 'saving' },
    metadata: testMetadata({ actor: { userId: 'demo', projectId: 'demo', roles: ['member', 'reader'] } }),
  };
}

async function fillLog(store: EventStore): Promise<void> {
  for (let written = 0; written < LOG_EVENTS; written += FILL_BATCH) {
    const events = Array.from({ length: FILL_BATCH }, (_, n) => imageEvent(written + n));
    // Interleaved streams, as in a real log: a rebuild's rows do not arrive sorted by stream.
    await store.append(`image-${(written / FILL_BATCH) % STREAMS}`, events, { expected: 'any' });
  }
}

/** The rebuild's own reading pattern without the projecting: the ceiling a rebuild can reach. */
async function readAllRate(store: EventStore): Promise<number> {
  const started = performance.now();
  let read = 0;
  for (let after = 0; ; ) {
    const page = await store.readAll({ after, maxCount: REBUILD_PAGE_SIZE });
    const last = page.at(-1);
    if (!last) break;
    read += page.length;
    after = last.position;
  }
  return read / ((performance.now() - started) / 1000);
}

function percentile(sorted: readonly number[], fraction: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(fraction * sorted.length))] ?? Number.NaN;
}

interface Lags {
  /** Append committed → visible to a reader of the read model. */
  afterCommit: number[];
  /** Append called → visible: what read-your-writes adds up to in an API request. */
  afterCall: number[];
  /** The event loop's own delay p99 (ms): the store's fsyncs block it too, so lag cannot beat it by much. */
  loopDelayP99: number;
}

/** Appends single events on a fixed schedule and times each until waitFor sees it projected. */
async function steadyLoadLags(store: EventStore, runner: ProjectionRunner): Promise<Lags> {
  const lags: Lags = { afterCommit: [], afterCall: [], loopDelayP99: 0 };
  const loopDelay = monitorEventLoopDelay({ resolution: 1 });
  loopDelay.enable();
  const pending: Promise<void>[] = [];
  const total = STEADY_RATE_PER_SECOND * STEADY_SECONDS;
  const started = performance.now();
  const appendAndWait = async (n: number) => {
    const called = performance.now();
    const { positions } = await store.append(`image-${n % STREAMS}`, [imageEvent(n)], { expected: 'any' });
    const committed = performance.now();
    await runner.waitFor(positions[0] ?? Number.MAX_SAFE_INTEGER, 5_000);
    const visible = performance.now();
    lags.afterCommit.push(visible - committed);
    lags.afterCall.push(visible - called);
  };
  for (let sent = 0; sent < total; ) {
    const due = Math.min(total, Math.floor(((performance.now() - started) / 1000) * STEADY_RATE_PER_SECOND));
    for (; sent < due; sent += 1) pending.push(appendAndWait(sent));
    await sleep(1);
  }
  await Promise.all(pending);
  loopDelay.disable();
  lags.loopDelayP99 = loopDelay.percentile(99) / 1e6;
  lags.afterCommit.sort((a, b) => a - b);
  lags.afterCall.sort((a, b) => a - b);
  return lags;
}

export async function run(): Promise<Figure[]> {
  const dir = mkdtempSync(join(tmpdir(), 'strata-bench-projections-'));
  const store = openSqliteEventStore({ path: join(dir, 'events.db'), schemas });
  const readModel = openReadModel(join(dir, 'read-model.db'));
  try {
    await fillLog(store);
    const readRate = await readAllRate(store);
    const rebuild = await rebuildProjection(readModel, store, auditProjection);
    const rebuildRate = rebuild.eventsRead / rebuild.seconds;

    const runner = new ProjectionRunner({ store, db: readModel, projections: [auditProjection], log: () => {} });
    await runner.start();
    const lags = await steadyLoadLags(store, runner).finally(() => runner.stop());
    const steady = `${STEADY_RATE_PER_SECOND.toLocaleString('en-US')} single-event appends/s for ${STEADY_SECONDS} s, same process`;
    return [
      {
        name: `audit rebuild over ${rebuild.eventsRead.toLocaleString('en-US')} events`,
        value: rebuildRate,
        unit: 'events/s',
        baseline: readRate,
        ratio: rebuildRate / readRate,
        durability: 'n/a (rebuildable)',
        note: `baseline: readAll alone, pages of ${REBUILD_PAGE_SIZE}; ${rebuild.seconds.toFixed(1)} s incl. index + swap; goal ≥ 50,000/s`,
      },
      { name: 'live projection lag p50', value: percentile(lags.afterCommit, 0.5), unit: 'ms', note: `${steady}; append committed → visible` },
      { name: 'live projection lag p99', value: percentile(lags.afterCommit, 0.99), unit: 'ms', note: `goal ≤ ${LAG_GOAL_P99_MS} ms` },
      { name: 'live projection lag max', value: lags.afterCommit.at(-1) ?? Number.NaN, unit: 'ms', note: `${lags.afterCommit.length} events` },
      { name: 'append + read-your-writes p99', value: percentile(lags.afterCall, 0.99), unit: 'ms', note: 'append called → visible (includes the fsync)' },
      { name: 'event-loop delay p99 meanwhile', value: lags.loopDelayP99, unit: 'ms', note: 'context: the store fsyncs on this thread' },
    ];
  } finally {
    readModel.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
