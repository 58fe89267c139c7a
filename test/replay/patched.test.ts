// Why `patched()` exists, shown on a two-step fixture workflow: a run of the original is
// replayed against a variant with the steps swapped (a determinism violation: the change
// would break every run in flight) and against the same swap guarded by `patched()` (it
// replays, and a new run takes the new order).
import { Client, Connection } from '@temporalio/client';
import proto from '@temporalio/proto';
import { NativeConnection, Worker } from '@temporalio/worker';
import { execa } from 'execa';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { registerTestNamespace } from '../compute-api/compute-harness.js';
import { stepActivities } from './fixtures/activities.js';

const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}.ts`, import.meta.url));
const REPLAY_VARIANT = fileURLToPath(new URL('./replay-variant.ts', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'strata-replay-'));
let namespace: string;
let connection: Connection;

/** Runs the fixture workflow of `variant` once on a real worker; its result and history. */
async function runOnce(variant: string) {
  const taskQueue = `replay-${randomUUID()}`;
  const workerConnection = await NativeConnection.connect({ address: inject('temporalAddress') });
  const worker = await Worker.create({ connection: workerConnection, namespace, taskQueue, workflowsPath: fixture(variant), activities: stepActivities });
  try {
    return await worker.runUntil(async () => {
      const handle = await new Client({ connection, namespace }).workflow.start('orderedSteps', { taskQueue, workflowId: `ordered-${randomUUID()}`, workflowExecutionTimeout: '30 seconds' });
      return { result: (await handle.result()) as string[], history: await handle.fetchHistory() };
    });
  } finally {
    await workerConnection.close();
  }
}

const replay = (history: string, variant: string) => execa('node', ['--import', 'tsx', REPLAY_VARIANT, history, fixture(variant)], { reject: false });

beforeAll(async () => {
  namespace = await registerTestNamespace(inject('temporalAddress'));
  connection = await Connection.connect({ address: inject('temporalAddress') });
});
afterAll(async () => {
  await connection?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('evolving a workflow without breaking the runs in flight', () => {
  it('a swap of two steps breaks the replay of the original; the swap behind patched() does not', { timeout: 120_000 }, async () => {
    const original = await runOnce('original');
    expect(original.result).toEqual(['reserve', 'notify']);
    const history = join(dir, 'original.pb');
    writeFileSync(history, proto.temporal.api.history.v1.History.encode(original.history).finish());

    const itself = await replay(history, 'original');
    expect(itself.exitCode, itself.stderr).toBe(0);
    const swapped = await replay(history, 'swapped');
    expect(swapped.exitCode).toBe(1);
    expect(swapped.stderr).toMatch(/DeterminismViolationError/);
    const guarded = await replay(history, 'patched');
    expect(guarded.exitCode, guarded.stderr).toBe(0);

    // New runs of the patched code do take the new order.
    expect((await runOnce('patched')).result).toEqual(['notify', 'reserve']);
  });
});
