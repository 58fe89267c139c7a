// Proves the harness end to end: a real Temporal server, the control worker's bundled
// workflows, and an activity on a compute host's own task queue.
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createHostProbeActivities } from '../../activities/host-probe.js';
import { workflowsPath } from '../../workers/control.js';
import { computeTaskQueue } from '../../workflows/task-queues.js';
import { probeHost } from '../../workflows/probe-host.js';
import { saveHistory } from '../histories/save.js';

describe('probeHost workflow on a real Temporal dev server', () => {
  const host = `test-host-${randomUUID().slice(0, 8)}`;
  const controlQueue = `control-test-${randomUUID()}`;
  let workerConnection: NativeConnection;
  let clientConnection: Connection;
  let workers: Worker[];
  let running: Promise<void>[];

  beforeAll(async () => {
    const address = inject('temporalAddress');
    workerConnection = await NativeConnection.connect({ address });
    clientConnection = await Connection.connect({ address });
    workers = [
      await Worker.create({ connection: workerConnection, taskQueue: controlQueue, workflowsPath }),
      await Worker.create({
        connection: workerConnection,
        taskQueue: computeTaskQueue(host),
        activities: createHostProbeActivities({
          host,
          availabilityZone: 'az-test',
          stateDir: mkdtempSync(join(tmpdir(), 'strata-host-')),
          accelerator: 'auto',
          ovmf: { code: '/usr/share/OVMF/OVMF_CODE.fd', vars: '/usr/share/OVMF/OVMF_VARS.fd' },
        }),
      }),
    ];
    running = workers.map((worker) => worker.run());
  });

  afterAll(async () => {
    for (const worker of workers) worker.shutdown();
    await Promise.all(running);
    await workerConnection.close();
    await clientConnection.close();
  });

  it('routes the activity to the host queue and returns what the host really has', async () => {
    const client = new Client({ connection: clientConnection });
    const facts = await client.workflow.execute(probeHost, { taskQueue: controlQueue, workflowId: `probe-${host}`, args: [host] });
    expect(facts.host).toBe(host);
    expect(facts.availabilityZone).toBe('az-test');
    expect(facts.vcpus).toBeGreaterThan(0);
    expect(facts.memoryMb).toBeGreaterThan(0);
    // /dev/kvm here is a slow paravirtual shim without vmx/svm: auto must pick TCG.
    expect(facts.accelerator).toBe('tcg');
    expect(facts.qemuVersion).toMatch(/QEMU emulator version \d+/);
    const history = await client.workflow.getHandle(`probe-${host}`).fetchHistory();
    saveHistory('probeHost', 'foundation', history);
    const scheduled = history.events?.find((event) => event.activityTaskScheduledEventAttributes);
    expect(scheduled?.activityTaskScheduledEventAttributes?.taskQueue?.name).toBe(computeTaskQueue(host));
  });
});
