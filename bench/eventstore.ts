// Suite `eventstore`: how fast the SQLite event store appends durably and reads back,
// next to the disk's own fsync rate measured in the same run on the same filesystem.
import { randomUUID } from 'node:crypto';
import { closeSync, fsyncSync, mkdtempSync, openSync, rmSync, statSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import type { EventStore, NewEvent } from '../eventstore/port.js';
import { EventSchemaRegistry } from '../eventstore/schemas.js';
import { openSqliteEventStore } from '../eventstore/sqlite/index.js';
import type { Figure } from './run.js';

const TIMED_SECONDS = 3;
const INTERLEAVE_SLICE_MS = 200;
const CONCURRENT_WRITERS = 32;
const BATCH_SIZE = 1_000;
const READ_LOG_EVENTS = 1_000_000;
const READ_PAGE = 10_000;
const POWER_LOSS = 'power loss (fsync per commit)';
/** More single-event appends than half of the interleaved window holds even on a fast disk (~20k/s). */
const SEQUENTIAL_EVENTS_AHEAD = 40_000;

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
async function interleavedRates(...steps: [() => Promise<void> | void, () => Promise<void> | void]): Promise<{ rate: number; cpuMicros: number }[]> {
  const counts = steps.map(() => 0);
  const elapsed = steps.map(() => 0);
  const cpu = steps.map(() => 0);
  const slices = (TIMED_SECONDS * 1000) / INTERLEAVE_SLICE_MS;
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

function fsyncProbe(dir: string) {
  const fd = openSync(join(dir, 'fsync-probe'), 'w');
  const record = Buffer.alloc(128, 'x');
  return {
    step: () => {
      writeSync(fd, record);
      fsyncSync(fd);
    },
    close: () => closeSync(fd),
  };
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
  const store = openSqliteEventStore({ path: join(dir, 'events.db'), schemas });
  try {
    const probe = fsyncProbe(dir);
    // Built before the timed slices, like the batches below: the figure is the store's.
    const sequentialEvents = Array.from({ length: SEQUENTIAL_EVENTS_AHEAD }, (_, n) => stepEvent(n));
    const [probed, appended] = await interleavedRates(probe.step, async () => {
      await store.append('bench-sequential', [sequentialEvents.pop() ?? stepEvent(0)], { expected: 'any' });
    }).finally(probe.close);
    const [fsyncRate, sequential] = [probed!.rate, appended!.rate];
    const concurrent = await concurrentAppendRate(store);
    const batched = await batchedAppendRate(store);
    const enveloped = await batchedAppendRate(store, oneEnvelope);
    await fillLog(store, READ_LOG_EVENTS);
    const read = await readAllRate(store);
    const vsFsync = (value: number) => ({ baseline: fsyncRate, ratio: value / fsyncRate });
    return [
      { name: 'raw fsync (128-byte write + fsync)', value: fsyncRate, unit: 'ops/s', durability: POWER_LOSS, note: `in ${where}; ${probed!.cpuMicros.toFixed(0)} µs CPU per op` },
      {
        name: 'sequential single-event appends',
        value: sequential,
        unit: 'appends/s',
        ...vsFsync(sequential),
        durability: POWER_LOSS,
        note: `goal ≥ 90% of raw fsync; ${appended!.cpuMicros.toFixed(0)} µs CPU per append; events built before the timed slices`,
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
