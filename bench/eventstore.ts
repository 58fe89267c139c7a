// Suite `eventstore`: how fast the SQLite event store appends durably and reads back,
// next to the disk's own fsync rate measured in the same run on the same filesystem.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import type { EventStore, NewEvent } from '../eventstore/port.js';
import { EventSchemaRegistry } from '../eventstore/schemas.js';
import { openSqliteEventStore } from '../eventstore/sqlite/index.js';
import { appendingFsync, bareSqliteCommit, inPlaceFsync } from './eventstore-baselines.js';
import type { Figure } from './run.js';

const TIMED_SECONDS = 3;
/**
 * The sequential appends and their three baselines share this, a quarter each. With 4 s
 * the appends' ratio to the fsync loop moved 89-98% between runs of the same code; with
 * 8 s, 94-99%.
 */
const SEQUENTIAL_SECONDS = 8;
const INTERLEAVE_SLICE_MS = 200;
/** Steps after the WAL last grew before it counts as rewritten in place. */
const WAL_SETTLED_STEPS = 200;
/** A bound on the warm-up, far past SQLite's first checkpoint (~700 single-event appends). */
const WARM_UP_MAX_STEPS = 20_000;
const CONCURRENT_WRITERS = 32;
const BATCH_SIZE = 1_000;
const READ_LOG_EVENTS = 1_000_000;
const READ_PAGE = 10_000;
const POWER_LOSS = 'power loss (fsync per commit)';
/** A sha-256 in hex, as the store keeps each event's hash and the previous one. */
const HASH_TEXT = 'f'.repeat(64);
/** More single-event appends than the warm-up and a quarter of the interleaved window take even on a fast disk (~20k/s). */
const SEQUENTIAL_EVENTS_AHEAD = 50_000;

const schemas = new EventSchemaRegistry({
  'InstanceStepCompleted.v1': z.object({ instanceId: z.string(), step: z.string(), host: z.string(), attempt: z.number().int() }),
});

/** An event shaped like a launch step's: a realistic size for data and metadata. */
function stepEvent(n: number): NewEvent {
  return {
    id: randomUUID(),
    type: 'InstanceStepCompleted.v1',
    data: { instanceId: `0b5e7a2c-${n}`, step: 'createRootDisk', host: 'compute-1', attempt: 1 },
    metadata: {
      actor: { userId: 'admin', projectId: 'admin', roles: ['admin', 'member'] },
      requestId: 'req-6f1d2c1e-6b4c-4f7e-9a55-1d1c3a0f8e21',
      correlationId: 'launch-0b5e7a2c',
      causationId: null,
      workflowId: 'launch-0b5e7a2c',
      runId: '2f0c9b1e-3d7a-4c55-8e0f-6a9b8c7d6e5f',
      activity: 'createRootDisk',
      timestamp: new Date().toISOString(),
    },
  };
}

/**
 * Rates of several steps measured in alternating short slices, so a disk whose speed
 * drifts (other processes' I/O on a shared machine) slows them all alike and their
 * ratio stays meaningful. Also each step's CPU time per operation, which depends far less
 * on what else the machine runs.
 */
async function interleavedRates(...steps: (() => Promise<void> | void)[]): Promise<{ rate: number; cpuMicros: number }[]> {
  const counts = steps.map(() => 0);
  const elapsed = steps.map(() => 0);
  const cpu = steps.map(() => 0);
  const slices = (SEQUENTIAL_SECONDS * 1000) / INTERLEAVE_SLICE_MS;
  for (let slice = 0; slice < slices; slice += 1) {
    for (const [index, step] of steps.entries()) {
      const started = performance.now();
      const cpuBefore = process.cpuUsage();
      const sliceEnd = started + INTERLEAVE_SLICE_MS / steps.length;
      while (performance.now() < sliceEnd) {
        await step();
        counts[index]! += 1;
      }
      const used = process.cpuUsage(cpuBefore);
      cpu[index]! += used.user + used.system;
      elapsed[index]! += performance.now() - started;
    }
  }
  return steps.map((_, index) => ({ rate: counts[index]! / (elapsed[index]! / 1000), cpuMicros: cpu[index]! / counts[index]! }));
}

/**
 * Runs `step` until the WAL at `walPath` has not grown for WAL_SETTLED_STEPS steps (SQLite's
 * first automatic checkpoint has restarted it, and commits now rewrite it in place), and
 * returns the rate over the steps up to the last that grew it: the rate of a log just
 * opened, since SQLite deletes the WAL when the last connection to the file closes.
 */
async function untilWalCycles(walPath: string, step: () => Promise<void> | void): Promise<{ rate: number; steps: number }> {
  let [growingSteps, growingMs, elapsedMs, size] = [0, 0, 0, 0];
  for (let index = 0; index < WARM_UP_MAX_STEPS && index - growingSteps < WAL_SETTLED_STEPS; index += 1) {
    const started = performance.now();
    await step();
    elapsedMs += performance.now() - started;
    const grown = statSync(walPath, { throwIfNoEntry: false })?.size ?? 0;
    if (grown > size) [size, growingSteps, growingMs] = [grown, index + 1, elapsedMs];
  }
  return { rate: growingSteps === 0 ? 0 : growingSteps / (growingMs / 1000), steps: growingSteps };
}

/**
 * Single durable appends after the log's WAL has cycled, interleaved with the three
 * baselines (the bare SQLite commit warmed up alike), and the appends' rate on the log
 * just opened. `walPath`: the store's WAL.
 */
async function sequentialRates(dir: string, walPath: string, appendOne: () => Promise<void>) {
  // About as many bytes as the store's row of the same event (its hash and the previous one included).
  const bare = bareSqliteCommit(dir, JSON.stringify({ ...stepEvent(0), hash: HASH_TEXT, prevHash: HASH_TEXT }));
  const loops = [appendingFsync(dir), inPlaceFsync(dir), bare];
  try {
    const newLog = await untilWalCycles(walPath, appendOne);
    await untilWalCycles(bare.walPath, bare.step);
    return { newLog, rates: await interleavedRates(...loops.map((loop) => loop.step), appendOne) };
  } finally {
    for (const loop of loops) loop.close();
  }
}

async function concurrentAppendRate(store: EventStore): Promise<number> {
  const deadline = performance.now() + TIMED_SECONDS * 1000;
  const started = performance.now();
  let appended = 0;
  const writer = async (index: number) => {
    const stream = `bench-concurrent-${index}`;
    while (performance.now() < deadline) {
      await store.append(stream, [stepEvent(appended)], { expected: 'any' });
      appended += 1;
    }
  };
  await Promise.all(Array.from({ length: CONCURRENT_WRITERS }, (_, index) => writer(index)));
  return appended / ((performance.now() - started) / 1000);
}

async function fillLog(store: EventStore, target: number): Promise<void> {
  for (let head = await store.headPosition(); head < target; head = await store.headPosition()) {
    const batch = Array.from({ length: Math.min(BATCH_SIZE, target - head) }, (_, n) => stepEvent(head + n));
    await store.append(`bench-fill-${head % 97}`, batch, { expected: 'any' });
  }
}

/** A batch as one command appends it: every event carries the same metadata object. */
function oneEnvelope(batch: NewEvent[]): NewEvent[] {
  const [first] = batch;
  return first ? batch.map((event) => ({ ...event, metadata: first.metadata })) : batch;
}

/**
 * Times only the appends: each batch is built before its append's timed window (every
 * event distinct, and validated by the store inside it), so the figure is the store's,
 * not the caller's. Also reports CPU time per event, which hardly depends on what else
 * the machine runs.
 */
async function batchedAppendRate(store: EventStore, shape: (batch: NewEvent[]) => NewEvent[] = (batch) => batch): Promise<{ rate: number; cpuMicrosPerEvent: number }> {
  // Untimed: the first large append starts the store's writer thread.
  await store.append('bench-batched', shape(Array.from({ length: BATCH_SIZE }, (_, n) => stepEvent(n))), { expected: 'any' });
  let [events, elapsed, cpuMicros] = [0, 0, 0];
  while (elapsed < TIMED_SECONDS * 1000) {
    const batch = shape(Array.from({ length: BATCH_SIZE }, (_, n) => stepEvent(n)));
    const [started, cpuBefore] = [performance.now(), process.cpuUsage()];
    await store.append('bench-batched', batch, { expected: 'any' });
    const cpu = process.cpuUsage(cpuBefore);
    cpuMicros += cpu.user + cpu.system;
    elapsed += performance.now() - started;
    events += BATCH_SIZE;
  }
  return { rate: events / (elapsed / 1000), cpuMicrosPerEvent: cpuMicros / events };
}

async function readAllRate(store: EventStore): Promise<{ rate: number; events: number }> {
  const started = performance.now();
  let events = 0;
  let after = 0;
  for (let page = await store.readAll({ after, maxCount: READ_PAGE }); page.length > 0; ) {
    events += page.length;
    after = page.at(-1)!.position;
    page = await store.readAll({ after, maxCount: READ_PAGE });
  }
  return { rate: events / ((performance.now() - started) / 1000), events };
}

export async function run(): Promise<Figure[]> {
  const dir = mkdtempSync(join(tmpdir(), 'strata-bench-events-'));
  const projectRoot = fileURLToPath(new URL('..', import.meta.url));
  const where = `${dir} (${statSync(dir).dev === statSync(projectRoot).dev ? 'same filesystem as the project' : 'NOT the project filesystem'})`;
  const path = join(dir, 'events.db');
  const store = openSqliteEventStore({ path, schemas });
  try {
    // Built before the timed slices, like the batches below: the figure is the store's.
    const sequentialEvents = Array.from({ length: SEQUENTIAL_EVENTS_AHEAD }, (_, n) => stepEvent(n));
    const appendOne = async () => {
      await store.append('bench-sequential', [sequentialEvents.pop() ?? stepEvent(0)], { expected: 'any' });
    };
    const { newLog, rates } = await sequentialRates(dir, `${path}-wal`, appendOne);
    const [appendProbe, inPlaceProbe, bareCommit, appended] = rates;
    const concurrent = await concurrentAppendRate(store);
    const batched = await batchedAppendRate(store);
    const enveloped = await batchedAppendRate(store, oneEnvelope);
    await fillLog(store, READ_LOG_EVENTS);
    const read = await readAllRate(store);
    const vsFsync = (value: number) => ({ baseline: appendProbe!.rate, ratio: value / appendProbe!.rate });
    const percentOf = (value: number, of: number) => `${Math.round((100 * value) / of)}%`;
    const sequential = appended!.rate;
    return [
      {
        name: 'raw fsync: 128-byte append + fsync',
        value: appendProbe!.rate,
        unit: 'ops/s',
        durability: POWER_LOSS,
        note: `the goal's baseline; the file grows, so each fsync also records its new size; in ${where}; ${appendProbe!.cpuMicros.toFixed(0)} µs CPU per op`,
      },
      {
        name: 'raw fsync: 4 KiB overwrite in place + fsync',
        value: inPlaceProbe!.rate,
        unit: 'ops/s',
        ...vsFsync(inPlaceProbe!.rate),
        durability: POWER_LOSS,
        note: `frames written round a file that has its blocks, as SQLite's WAL once a checkpoint restarted it: the fastest fsync loop here; ${inPlaceProbe!.cpuMicros.toFixed(0)} µs CPU per op`,
      },
      {
        name: 'bare SQLite commit of one row',
        value: bareCommit!.rate,
        unit: 'commits/s',
        ...vsFsync(bareCommit!.rate),
        durability: POWER_LOSS,
        note: `same pragmas, none of the store's work; ${percentOf(bareCommit!.rate, inPlaceProbe!.rate)} of in-place fsync; ${bareCommit!.cpuMicros.toFixed(0)} µs CPU per commit`,
      },
      {
        name: 'sequential single-event appends',
        value: sequential,
        unit: 'appends/s',
        ...vsFsync(sequential),
        durability: POWER_LOSS,
        note: `goal ≥ 90% of raw fsync (128-byte append); ${percentOf(sequential, inPlaceProbe!.rate)} of in-place fsync, ${percentOf(sequential, bareCommit!.rate)} of a bare SQLite commit; ${appended!.cpuMicros.toFixed(0)} µs CPU per append; after the WAL's first checkpoint; events built before the timed slices`,
      },
      {
        name: 'sequential appends, log just opened',
        value: newLog.rate,
        unit: 'appends/s',
        ...vsFsync(newLog.rate),
        durability: POWER_LOSS,
        note: `the first ${newLog.steps} appends, while the new WAL grows to its checkpoint size (each commit extends the file); SQLite deletes the WAL when a file's last connection closes, so this recurs at each restart; measured before the interleaved slices`,
      },
      { name: `concurrent appends, ${CONCURRENT_WRITERS} writers`, value: concurrent, unit: 'appends/s', ...vsFsync(concurrent), durability: POWER_LOSS, note: 'group commit; goal ≥ 5,000/s' },
      {
        name: `batched appends (${BATCH_SIZE} events each)`,
        value: batched.rate,
        unit: 'events/s',
        durability: POWER_LOSS,
        note: `goal ≥ 100,000/s; ${batched.cpuMicrosPerEvent.toFixed(1)} µs CPU per event; each event its own metadata; events built outside the timed window, validated inside it`,
      },
      {
        name: `batched appends (${BATCH_SIZE} events, one envelope)`,
        value: enveloped.rate,
        unit: 'events/s',
        durability: POWER_LOSS,
        note: `goal ≥ 100,000/s; ${enveloped.cpuMicrosPerEvent.toFixed(1)} µs CPU per event; one metadata object per batch, as a command appends its events`,
      },
      { name: `readAll over ${read.events.toLocaleString('en-US')} events`, value: read.rate, unit: 'events/s', durability: 'n/a (read)', note: `pages of ${READ_PAGE}, parsed` },
    ];
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
