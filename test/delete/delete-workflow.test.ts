// The delete workflow end to end on a real Temporal server: the real scheduling and
// delete activities on the control queue, this host's activities on `compute.<host>`,
// real QEMU. An ACTIVE instance is stopped and removed (the cached base stays, the claim
// comes back); a delete during a launch cancels it and its compensation runs once; an
// instance that never got a host is deleted without a host step; a host whose worker is
// down keeps the claim until the worker is back and has destroyed the instance.
import { NativeConnection, Worker } from '@temporalio/worker';
import { execa } from 'execa';
import { randomUUID } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, inject, it } from 'vitest';
import { createDeleteActivities } from '../../activities/delete/delete-activities.js';
import { handleCommand } from '../../application/handle-command.js';
import { freeResources, hostDecider, hostStream } from '../../domain/compute/host.js';
import type { InstanceEvent, InstanceRequest, InstanceState } from '../../domain/compute/instance.js';
import { instanceDecider, instanceStream, serverStatus } from '../../domain/compute/instance.js';
import { fold } from '../../domain/decider.js';
import { adoptVm } from '../../hypervisor/vm-process.js';
import { waitUntil } from '../../runtime/wait.js';
import { deleteInstance } from '../../workflows/delete.js';
import { launchInstance } from '../../workflows/launch.js';
import { CONTROL_TASK_QUEUE, computeTaskQueue } from '../../workflows/task-queues.js';
import { addHost, hostState, requestInstances, testMetadata } from '../scheduling/support/cluster.js';
import { digestOf, fileImageSource, guestFiles, imageOf, tinyFlavor, useHostLab } from '../launch-host/host-lab.js';
import { useLaunchCluster } from '../launch-host/launch-cluster.js';
import { saveHistory } from '../histories/save.js';
import { processesOf } from './instance-processes.js';

const lab = useHostLab();
const REPLAY_SCRIPT = fileURLToPath(new URL('../images/fixtures/replay-history.ts', import.meta.url));

const LAUNCHED = ['InstanceRequested.v1', 'InstanceScheduled.v1', 'RootDiskCreated.v1', 'InstanceSpawning.v1', 'VmStarted.v1'];

describe('delete workflow', () => {
  const host = `dh-${randomUUID().slice(0, 8)}`;
  const files = new Map<string, string>();
  // Long enough for a delete to arrive while the launch waits for a marker that never comes.
  const cluster = useLaunchCluster(lab, { host, files, bootTimeoutSeconds: 8, controlActivities: (view) => createDeleteActivities({ events: view.events }) });

  const instanceEvents = async (instanceId: string) => cluster.view.events.readStream(instanceStream(instanceId));
  const instanceState = async (instanceId: string): Promise<InstanceState> => fold(instanceDecider, (await instanceEvents(instanceId)) as unknown as InstanceEvent[]);
  const freeOnHost = async () => freeResources(await hostState(cluster.view.events, host));
  const releasesOf = async (instanceId: string) =>
    (await cluster.view.events.readStream(hostStream(host))).filter((event) => event.type === 'ResourcesReleased.v1' && (event.data as { instanceId: string }).instanceId === instanceId);

  async function requested(marker: string): Promise<InstanceRequest> {
    const image = await imageOf(guestFiles.biosRaw, 'raw', { properties: { strata_boot_marker: marker } });
    files.set(image.id, guestFiles.biosRaw);
    const [request] = (await requestInstances(cluster.view.events, 1, { image, flavor: tinyFlavor })) as [InstanceRequest];
    return request;
  }

  /** What DELETE /servers/{id} does: record the intent, then run `delete-<id>` (bounded). */
  async function deleted(instanceId: string) {
    const event = { type: 'InstanceDeleting.v1', data: { requestedAt: new Date().toISOString() } } as const;
    await handleCommand(cluster.view.events, instanceDecider, instanceStream(instanceId), { kind: 'record', event }, { metadata: testMetadata() });
    return cluster.client().workflow.execute(deleteInstance, { taskQueue: CONTROL_TASK_QUEUE, workflowId: `delete-${instanceId}`, args: [instanceId], workflowExecutionTimeout: '60 seconds' });
  }

  it('deletes an ACTIVE instance: no QEMU, no instance directory, the claim and the base as before', { timeout: 90_000 }, async () => {
    const free = await freeOnHost();
    const request = await requested('STRATA-GUEST-DONE');
    const client = cluster.client();
    const launch = await client.workflow.execute(launchInstance, { taskQueue: CONTROL_TASK_QUEUE, workflowId: `launch-${request.instanceId}`, args: [request], workflowExecutionTimeout: '30 seconds' });
    expect(launch.status).toBe('active');
    expect(await processesOf(request.instanceId)).toHaveLength(1);
    const base = cluster.layout.base(request.image.id).file;
    const baseDigest = await digestOf(base, 'sha256');

    expect(await deleted(request.instanceId)).toEqual({ host });

    const paths = cluster.layout.instance(request.instanceId);
    expect(await processesOf(request.instanceId)).toEqual([]);
    expect(await stat(paths.dir).catch(() => null)).toBeNull();
    expect(await digestOf(base, 'sha256')).toBe(baseDigest);
    expect(await freeOnHost()).toEqual(free);
    const events = await instanceEvents(request.instanceId);
    expect(events.map((event) => event.type)).toEqual([...LAUNCHED, 'InstanceBooted.v1', 'InstanceDeleting.v1', 'InstanceDestroyed.v1', 'InstanceDeleted.v1']);
    expect(events.slice(-2).map((event) => event.metadata.workflowId)).toEqual([`delete-${request.instanceId}`, `delete-${request.instanceId}`]);
    const releases = await releasesOf(request.instanceId);
    expect(releases.map((event) => event.metadata.workflowId)).toEqual([`delete-${request.instanceId}`]);
    const state = await instanceState(request.instanceId);
    expect(serverStatus(state)).toBe('DELETED');
    expect(state).toMatchObject({ taskState: null, pid: null, terminatedAt: expect.any(String) });
  });

  it('cancels a launch still waiting for its boot: its compensation runs once, then the instance is DELETED', { timeout: 120_000 }, async () => {
    const free = await freeOnHost();
    const request = await requested('NEVER-PRINTED');
    const client = cluster.client();
    const launch = await client.workflow.start(launchInstance, { taskQueue: CONTROL_TASK_QUEUE, workflowId: `launch-${request.instanceId}`, args: [request], workflowExecutionTimeout: '60 seconds' });
    await waitUntil('the launch to start QEMU', async () => (await instanceEvents(request.instanceId)).some((event) => event.type === 'VmStarted.v1'), { timeoutMs: 30_000 });
    expect(await processesOf(request.instanceId)).toHaveLength(1);

    await deleted(request.instanceId);

    expect((await launch.describe()).status.name).toBe('CANCELLED');
    const history = await launch.fetchHistory();
    const destroys = (history.events ?? []).filter((event) => event.activityTaskScheduledEventAttributes?.activityType?.name === 'destroyInstance');
    expect(destroys).toHaveLength(1);
    const releases = await releasesOf(request.instanceId);
    expect(releases.map((event) => event.metadata.workflowId)).toEqual([`launch-${request.instanceId}`]);
    expect(await processesOf(request.instanceId)).toEqual([]);
    expect(await adoptVm(cluster.layout.instance(request.instanceId).dir)).toBeUndefined();
    expect(await stat(cluster.layout.instance(request.instanceId).dir).catch(() => null)).toBeNull();
    expect(await freeOnHost()).toEqual(free);
    const types = (await instanceEvents(request.instanceId)).map((event) => event.type);
    expect(types).toEqual([...LAUNCHED, 'InstanceDeleting.v1', 'InstanceDestroyed.v1', 'InstanceDeleted.v1']);
    expect(serverStatus(await instanceState(request.instanceId))).toBe('DELETED');

    // Saved runs of both workflows must replay against the code as it is now (determinism across changes).
    const saved = [
      saveHistory('launchInstance', 'cancelled-during-boot', history),
      saveHistory('deleteInstance', 'during-launch', await client.workflow.getHandle(`delete-${request.instanceId}`).fetchHistory()),
    ];
    for (const name of saved) {
      const replay = await execa('node', ['--import', 'tsx', REPLAY_SCRIPT, name], { reject: false });
      expect(replay.exitCode, `${name}: ${replay.stderr}`).toBe(0);
    }
  });

  it('deletes an instance that never got a host without a host step', { timeout: 30_000 }, async () => {
    const [request] = (await requestInstances(cluster.view.events, 1)) as [InstanceRequest];
    const fault = { code: 500, message: 'The launch workflow could not be started', step: 'startWorkflow', host: null, attempt: 1, created: new Date().toISOString() };
    await handleCommand(cluster.view.events, instanceDecider, instanceStream(request.instanceId), { kind: 'record', event: { type: 'InstanceLaunchFailed.v1', data: fault } }, { metadata: testMetadata() });

    expect(await deleted(request.instanceId)).toEqual({ host: null });

    const types = (await instanceEvents(request.instanceId)).map((event) => event.type);
    expect(types).toEqual(['InstanceRequested.v1', 'InstanceLaunchFailed.v1', 'InstanceDeleting.v1', 'InstanceDeleted.v1']);
    expect(serverStatus(await instanceState(request.instanceId))).toBe('DELETED');
  });

  it('waits for a host whose worker is down, keeping its claim, and finishes once the worker is back', { timeout: 60_000 }, async () => {
    const down = `down-${randomUUID().slice(0, 8)}`;
    await addHost(cluster.view.events, down);
    const freeBefore = freeResources(await hostState(cluster.view.events, down));
    const [request] = (await requestInstances(cluster.view.events, 1, { flavor: tinyFlavor })) as [InstanceRequest];
    const resources = { vcpus: tinyFlavor.vcpus, ramMb: tinyFlavor.ramMb, diskGb: tinyFlavor.diskGb };
    await handleCommand(cluster.view.events, hostDecider, hostStream(down), { kind: 'claim', instanceId: request.instanceId, resources }, { metadata: testMetadata() });
    const scheduled = { type: 'InstanceScheduled.v1', data: { host: down, availabilityZone: 'nova', attempt: 1 } } as const;
    await handleCommand(cluster.view.events, instanceDecider, instanceStream(request.instanceId), { kind: 'record', event: scheduled }, { metadata: testMetadata() });

    const deleting = deleted(request.instanceId);
    const handle = cluster.client().workflow.getHandle(`delete-${request.instanceId}`);
    const waitsForHost = async () => (await handle.describe()).raw.pendingActivities?.some((activity) => activity.activityType?.name === 'destroyInstance') ?? false;
    await waitUntil('the delete to wait for the host', waitsForHost, { timeoutMs: 20_000, intervalMs: 250 });
    expect(serverStatus(await instanceState(request.instanceId))).not.toBe('DELETED');
    expect(freeResources(await hostState(cluster.view.events, down))).not.toEqual(freeBefore);

    const connection = await NativeConnection.connect({ address: inject('temporalAddress') });
    const worker = await Worker.create({ connection, namespace: cluster.namespace, taskQueue: computeTaskQueue(down), activities: lab.host({ source: fileImageSource(files).source, events: cluster.view.events, host: { host: down } }).activities });
    const running = worker.run();
    try {
      expect(await deleting).toEqual({ host: down });
    } finally {
      worker.shutdown();
      await running;
      await connection.close();
    }
    expect(freeResources(await hostState(cluster.view.events, down))).toEqual(freeBefore);
    expect(serverStatus(await instanceState(request.instanceId))).toBe('DELETED');
  });
});
