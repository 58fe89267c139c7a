// os-getConsoleOutput end to end in process: the API starts the consoleOutput workflow,
// which a real control worker runs, and the console activity reads the log on the
// host's own task queue from the host layout the launch uses.
import { NativeConnection, Worker } from '@temporalio/worker';
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createConsoleActivities } from '../../activities/console.js';
import { hostLayout } from '../../activities/launch/host-layout.js';
import { handleCommand } from '../../application/handle-command.js';
import { requestMetadata } from '../../application/metadata.js';
import type { InstanceEvent } from '../../domain/compute/instance.js';
import { instanceDecider, instanceStream } from '../../domain/compute/instance.js';
import { workflowsPath } from '../../workers/control.js';
import { CONTROL_TASK_QUEUE, computeTaskQueue } from '../../workflows/task-queues.js';
import { instanceRequestFor, openComputeHarness, type ComputeHarness } from './compute-harness.js';

/** What QEMU's serial log holds: control characters (bell, carriage returns, NUL) among the lines. */
const CONSOLE_LOG = 'SeaBIOS\x07\nBooting from Hard Disk...\r\nSTRATA-GUEST-BOOT\x00\nboot count 1\n';
const host = `console-host-${randomUUID().slice(0, 8)}`;
const layout = hostLayout(mkdtempSync(join(tmpdir(), 'strata-console-')));
let harness: ComputeHarness;
let connection: NativeConnection;
let workers: Worker[];
let running: Array<Promise<void>>;

/** Records an instance the way a create and the launch's steps would, without starting a launch. */
async function instanceOn(placedOn: string | null): Promise<string> {
  const { events, projections } = harness.api.context;
  const request = instanceRequestFor(harness.alice.projectId, 'console-vm');
  const stream = instanceStream(request.instanceId);
  const metadata = requestMetadata(null, 'console-test');
  let { position } = await handleCommand(events, instanceDecider, stream, { kind: 'request', request }, { metadata });
  if (placedOn !== null) {
    const event: InstanceEvent = { type: 'InstanceScheduled.v1', data: { host: placedOn, availabilityZone: 'nova', attempt: 1 } };
    ({ position } = await handleCommand(events, instanceDecider, stream, { kind: 'record', event }, { metadata }));
  }
  await projections.waitFor(position, 5_000);
  return request.instanceId;
}

function consoleOutput(instanceId: string, args: unknown) {
  return harness.compute(harness.alice, 'POST', `/servers/${instanceId}/action`, { json: { 'os-getConsoleOutput': args } });
}

beforeAll(async () => {
  harness = await openComputeHarness();
  connection = await NativeConnection.connect({ address: inject('temporalAddress') });
  const namespace = harness.api.config.temporal.namespace;
  workers = [
    await Worker.create({ connection, namespace, taskQueue: CONTROL_TASK_QUEUE, workflowsPath }),
    await Worker.create({ connection, namespace, taskQueue: computeTaskQueue(host), activities: createConsoleActivities({ layout }) }),
  ];
  running = workers.map((worker) => worker.run());
}, 180_000);
afterAll(async () => {
  for (const worker of workers) worker.shutdown();
  await Promise.all(running);
  await connection.close();
  await harness.close();
});

describe('os-getConsoleOutput', () => {
  it('returns the log from the host, cut to the lines asked for, without control characters', async () => {
    const instanceId = await instanceOn(host);
    mkdirSync(layout.instance(instanceId).dir, { recursive: true });
    writeFileSync(join(layout.instance(instanceId).dir, 'console.log'), CONSOLE_LOG);

    const all = await consoleOutput(instanceId, {});
    expect(all.statusCode, all.body).toBe(200);
    expect(all.json()).toEqual({ output: 'SeaBIOS\nBooting from Hard Disk...\nSTRATA-GUEST-BOOT\nboot count 1\n' });
    expect((await consoleOutput(instanceId, { length: 2 })).json()).toEqual({ output: 'boot count 1\n' });
    expect((await consoleOutput(instanceId, { length: '3' })).json()).toEqual({ output: 'STRATA-GUEST-BOOT\nboot count 1\n' });
    expect((await consoleOutput(instanceId, { length: -1 })).json()).toEqual(all.json());
    expect((await consoleOutput(instanceId, { length: null })).json()).toEqual(all.json());
    expect((await consoleOutput(instanceId, { length: 0 })).json()).toEqual({ output: '' });
  });

  it('answers an empty output before QEMU has written a log', async () => {
    const response = await consoleOutput(await instanceOn(host), {});
    expect(response.json()).toEqual({ output: '' });
  });

  it('answers 409 while the instance has no host', async () => {
    const instanceId = await instanceOn(null);
    const response = await consoleOutput(instanceId, {});
    expect(response.statusCode).toBe(409);
    expect(response.json()).toEqual({ conflictingRequest: { code: 409, message: `Instance ${instanceId} is not ready` } });
  });

  it('refuses bad requests as Nova does, and another project’s server with 404', async () => {
    const instanceId = await instanceOn(host);
    const action = (body: unknown) => harness.compute(harness.alice, 'POST', `/servers/${instanceId}/action`, { json: body });
    for (const [body, message] of [
      [{ 'os-getConsoleOutput': { length: 'ten' } }, 'os-getConsoleOutput'],
      [{ 'os-getConsoleOutput': { length: -2 } }, 'os-getConsoleOutput'],
      [{ 'os-getConsoleOutput': { lines: 2 } }, 'os-getConsoleOutput'],
      [{ 'os-fly': {} }, 'There is no such action: os-fly'],
      [{ 'os-getConsoleOutput': {}, reboot: {} }, 'Malformed request body'],
      [{}, 'Malformed request body'],
    ] as const) {
      const response = await action(body);
      expect(response.statusCode, JSON.stringify(body)).toBe(400);
      expect(response.json()).toEqual({ badRequest: { code: 400, message: expect.stringContaining(message) } });
    }
    const others = await harness.compute(harness.bob, 'POST', `/servers/${instanceId}/action`, { json: { 'os-getConsoleOutput': {} } });
    expect(others.statusCode).toBe(404);
  });

  it('answers 503 naming the host when the host does not answer', async () => {
    const instanceId = await instanceOn('host-without-worker');
    const response = await consoleOutput(instanceId, { length: 5 });
    expect(response.statusCode).toBe(503);
    expect(response.json()).toEqual({ computeFault: { code: 503, message: expect.stringContaining('from host host-without-worker') } });
  }, 60_000);
});
