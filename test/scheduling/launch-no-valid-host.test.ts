// The launch workflow on a real Temporal server with the real scheduling activities:
// when no host can take the instance, the instance ends in ERROR and its fault (what
// operators and auditors read) names every filter that refused a host and why.
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createSchedulingActivities } from '../../activities/scheduling/scheduling-activities.js';
import type { HostView } from '../../application/hosts/host-view.js';
import { openHostView } from '../../application/hosts/host-view.js';
import { fold } from '../../domain/decider.js';
import type { InstanceEvent } from '../../domain/compute/instance.js';
import { instanceDecider, instanceStream } from '../../domain/compute/instance.js';
import { workflowsPath } from '../../workers/control.js';
import { launchInstance } from '../../workflows/launch.js';
import { CONTROL_TASK_QUEUE } from '../../workflows/task-queues.js';
import { registerTestNamespace } from '../compute-api/compute-harness.js';
import { addHost, requestInstances, sqliteSettings } from './support/cluster.js';

describe('launch workflow with no valid host', () => {
  let namespace: string;
  let clientConnection: Connection;
  let workerConnection: NativeConnection;
  let view: HostView;
  let worker: Worker;
  let running: Promise<void>;

  beforeAll(async () => {
    const address = inject('temporalAddress');
    // A namespace of this file's own: the launch workflow sends its scheduling activities
    // to the `control` queue by name, and no other test's worker may pick them up.
    namespace = await registerTestNamespace(address);
    clientConnection = await Connection.connect({ address });
    workerConnection = await NativeConnection.connect({ address });
    view = await openHostView(sqliteSettings());
    worker = await Worker.create({ connection: workerConnection, namespace, taskQueue: CONTROL_TASK_QUEUE, workflowsPath, activities: createSchedulingActivities(view) });
    running = worker.run();
  });

  afterAll(async () => {
    worker.shutdown();
    await running;
    await workerConnection.close();
    await clientConnection.close();
    await view.close();
  });

  it('ends in ERROR with the scheduler’s reasons in the recorded fault', async () => {
    await addHost(view.events, 'full-host', { memoryMb: 256 });
    await addHost(view.events, 'no-uefi-host', { uefi: false });
    const [request] = await requestInstances(view.events, 1, {
      image: { id: randomUUID(), name: 'uefi', diskFormat: 'raw', size: 1, osHashValue: null, checksum: null, minDiskGb: 0, minRamMb: 0, properties: { hw_firmware_type: 'uefi' } },
    });
    const client = new Client({ connection: clientConnection, namespace });

    const result = await client.workflow.execute(launchInstance, { taskQueue: CONTROL_TASK_QUEUE, workflowId: `launch-${request!.instanceId}`, args: [request!] });

    expect(result).toEqual({ status: 'error', host: null, attempts: 1 });
    const stored = await view.events.readStream(instanceStream(request!.instanceId));
    const failed = stored.at(-1);
    expect(failed?.type).toBe('InstanceLaunchFailed.v1');
    expect(failed?.metadata).toMatchObject({ workflowId: `launch-${request!.instanceId}`, activity: 'recordLaunchFailure' });
    const instance = fold(instanceDecider, stored as unknown as InstanceEvent[]);
    expect(instance.vmState).toBe('error');
    expect(instance.fault).toMatchObject({
      step: 'schedule',
      host: null,
      attempt: 1,
      message:
        'No valid host was found. RamFilter rejected 1 host (full-host: needs 512 MB RAM, 256 MB free). ' +
        'ImagePropertiesFilter rejected 1 host (no-uefi-host: has no UEFI firmware (image has hw_firmware_type=uefi)).',
    });
  });
});
