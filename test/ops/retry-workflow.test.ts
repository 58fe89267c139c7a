// A failed launch waits for an operator, on a real Temporal server with real QEMU: the
// `retry` update is refused while the launch runs, accepted while it waits (the retry is
// recorded with the operator as actor and boots the image as it is now, as a new attempt,
// to ACTIVE); a delete while it waits ends it without undoing anything twice; a window
// that closes ends it in ERROR. Failed workflows of other kinds are found through
// Temporal's visibility with their operation, cause, failed step and host.
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createDeleteActivities } from '../../activities/delete/delete-activities.js';
import type { OperatorRetry } from '../../activities/launch/contract.js';
import { createSchedulingActivities } from '../../activities/scheduling/scheduling-activities.js';
import { handleCommand } from '../../application/handle-command.js';
import type { ImageSnapshot, InstanceEvent, InstanceRequest } from '../../domain/compute/instance.js';
import { instanceDecider, instanceStream, serverStatus } from '../../domain/compute/instance.js';
import { fold } from '../../domain/decider.js';
import { waitUntil } from '../../runtime/wait.js';
import { workflowFailures } from '../../application/ops/workflow-failures.js';
import { consoleOutput } from '../../workflows/console-output.js';
import { deleteInstance } from '../../workflows/delete.js';
import { launchInstance } from '../../workflows/launch.js';
import { retryUpdate } from '../../workflows/operator-decision.js';
import { CONTROL_TASK_QUEUE } from '../../workflows/task-queues.js';
import { processesOf } from '../delete/instance-processes.js';
import { saveHistory } from '../histories/save.js';
import { guestFiles, imageOf, tinyFlavor, useHostLab } from '../launch-host/host-lab.js';
import type { LaunchClusterOptions } from '../launch-host/launch-cluster.js';
import { useLaunchCluster } from '../launch-host/launch-cluster.js';
import { requestInstances, testMetadata } from '../scheduling/support/cluster.js';

const lab = useHostLab();
const operator = { userId: 'operator-1', projectId: 'admin-project', roles: ['admin'] };

function waitingCluster(decisionSeconds: number) {
  const files = new Map<string, string>();
  const options: LaunchClusterOptions = {
    host: `rh-${randomUUID().slice(0, 8)}`,
    files,
    bootTimeoutSeconds: 3,
    controlActivities: (view) => ({ ...createSchedulingActivities({ ...view, failedBootDecisionSeconds: decisionSeconds }), ...createDeleteActivities({ events: view.events }) }),
  };
  const cluster = useLaunchCluster(lab, options);
  const events = async (instanceId: string) => cluster.view.events.readStream(instanceStream(instanceId));
  return {
    cluster,
    host: options.host,
    events,
    state: async (instanceId: string) => fold(instanceDecider, (await events(instanceId)) as unknown as InstanceEvent[]),
    /** Starts the launch of an instance whose guest prints `marker`. */
    async launch(marker: string) {
      const image = await imageOf(guestFiles.biosRaw, 'raw', { properties: { strata_boot_marker: marker } });
      files.set(image.id, guestFiles.biosRaw);
      const [request] = (await requestInstances(cluster.view.events, 1, { image, flavor: tinyFlavor })) as [InstanceRequest];
      const handle = await cluster.client().workflow.start(launchInstance, { taskQueue: CONTROL_TASK_QUEUE, workflowId: `launch-${request.instanceId}`, args: [request], workflowExecutionTimeout: '90 seconds' });
      return { request, handle };
    },
    async failed(instanceId: string) {
      await waitUntil('the launch to fail', async () => (await events(instanceId)).some((event) => event.type === 'InstanceLaunchFailed.v1'), { timeoutMs: 45_000, intervalMs: 200 });
    },
  };
}

function retryOf(image: ImageSnapshot, marker: string): OperatorRetry {
  return { host: null, image: { ...image, properties: { ...image.properties, strata_boot_marker: marker } }, actor: operator, requestId: `req-${randomUUID()}` };
}

describe('a failed launch waiting for an operator', () => {
  const lab1 = waitingCluster(60);

  it('refuses a retry while the launch runs, then retries with the fixed image to ACTIVE as a new attempt', { timeout: 120_000 }, async () => {
    const { request, handle } = await lab1.launch('NEVER-PRINTED');
    const early = await handle.executeUpdate(retryUpdate, { args: [retryOf(request.image, 'STRATA-GUEST-DONE')] }).catch((error: unknown) => error);
    expect(early).toBeInstanceOf(WorkflowUpdateFailedError);
    expect(String((early as Error).cause)).toContain('not awaiting an operator decision');

    await lab1.failed(request.instanceId);
    const failedState = await lab1.state(request.instanceId);
    expect(serverStatus(failedState)).toBe('ERROR');
    expect(failedState.fault).toMatchObject({ step: 'waitForBoot', host: lab1.host, message: expect.stringContaining('NEVER-PRINTED'), decisionUntil: expect.any(String) });
    expect(Date.parse(failedState.fault?.decisionUntil ?? '') - Date.parse(failedState.fault?.created ?? '')).toBe(60_000);
    expect((await handle.describe()).status.name).toBe('RUNNING');
    expect(await processesOf(request.instanceId)).toEqual([]);

    const retry = retryOf(request.image, 'STRATA-GUEST-DONE');
    const accepted = await handle.executeUpdate(retryUpdate, { args: [retry] });
    const failedAttempt = failedState.fault?.attempt ?? 0;
    expect(accepted).toEqual({ attempt: failedAttempt + 1 });
    expect(await handle.result()).toEqual({ status: 'active', host: lab1.host, attempts: failedAttempt + 1 });

    const recorded = await lab1.events(request.instanceId);
    const types = recorded.map((event) => event.type);
    expect(types.filter((type) => type === 'InstanceScheduled.v1')).toHaveLength(2);
    expect(types.slice(types.indexOf('InstanceLaunchFailed.v1'))).toEqual([
      'InstanceLaunchFailed.v1',
      'InstanceRetryRequested.v1',
      'InstanceScheduled.v1',
      'RootDiskCreated.v1',
      'InstanceSpawning.v1',
      'VmStarted.v1',
      'InstanceBooted.v1',
    ]);
    const retried = recorded.find((event) => event.type === 'InstanceRetryRequested.v1');
    expect(retried?.metadata).toMatchObject({ actor: operator, requestId: retry.requestId, workflowId: `launch-${request.instanceId}` });
    expect(retried?.data).toMatchObject({ attempt: failedAttempt + 1, host: null, image: { properties: { strata_boot_marker: 'STRATA-GUEST-DONE' } } });
    const state = await lab1.state(request.instanceId);
    expect(serverStatus(state)).toBe('ACTIVE');
    expect(state).toMatchObject({ fault: null, attempt: failedAttempt + 1 });

    // The launch has ended: a second retry finds nothing waiting.
    await expect(handle.executeUpdate(retryUpdate, { args: [retry] })).rejects.toThrow();
    saveHistory('launchInstance', 'retried-to-active', await handle.fetchHistory());
    await handleCommand(lab1.cluster.view.events, instanceDecider, instanceStream(request.instanceId), { kind: 'record', event: { type: 'InstanceDeleting.v1', data: { requestedAt: new Date().toISOString() } } }, { metadata: testMetadata() });
    await lab1.cluster.client().workflow.execute(deleteInstance, { taskQueue: CONTROL_TASK_QUEUE, workflowId: `delete-${request.instanceId}`, args: [request.instanceId], workflowExecutionTimeout: '60 seconds' });
    expect(await processesOf(request.instanceId)).toEqual([]);
  });

  it('ends the wait on a delete, undoing nothing twice', { timeout: 120_000 }, async () => {
    const { request, handle } = await lab1.launch('NEVER-PRINTED');
    await lab1.failed(request.instanceId);
    const event = { type: 'InstanceDeleting.v1', data: { requestedAt: new Date().toISOString() } } as const;
    await handleCommand(lab1.cluster.view.events, instanceDecider, instanceStream(request.instanceId), { kind: 'record', event }, { metadata: testMetadata() });
    const deleteHandle = await lab1.cluster.client().workflow.start(deleteInstance, { taskQueue: CONTROL_TASK_QUEUE, workflowId: `delete-${request.instanceId}`, args: [request.instanceId], workflowExecutionTimeout: '60 seconds' });
    expect(await deleteHandle.result()).toEqual({ host: lab1.host });

    expect((await handle.describe()).status.name).toBe('CANCELLED');
    const history = await handle.fetchHistory();
    const scheduled = (name: string) => (history.events ?? []).filter((entry) => entry.activityTaskScheduledEventAttributes?.activityType?.name === name).length;
    // One compensation for the one host attempt, none for the wait.
    expect(scheduled('destroyInstance')).toBe(scheduled('startVm'));
    expect(scheduled('releaseClaim')).toBe(scheduled('startVm'));
    expect(serverStatus(await lab1.state(request.instanceId))).toBe('DELETED');
    saveHistory('launchInstance', 'deleted-while-awaiting-decision', history);
    saveHistory('deleteInstance', 'of-failed-launch-awaiting-decision', await deleteHandle.fetchHistory());
  });
});

describe('failed workflows', () => {
  const lab3 = waitingCluster(0);

  it('are listed with their operation, cause, failed step and host', { timeout: 90_000 }, async () => {
    // A console read from a host no worker serves fails once its activity is not picked up in time.
    const host = `gone-${randomUUID().slice(0, 8)}`;
    const client = lab3.cluster.client();
    const handle = await client.workflow.start(consoleOutput, { taskQueue: CONTROL_TASK_QUEUE, workflowId: `console-${randomUUID()}`, args: [host, randomUUID()] });
    await expect(handle.result()).rejects.toThrow();
    let listed: Awaited<ReturnType<typeof workflowFailures>> = [];
    // Visibility is eventually consistent: the run shows up in the list shortly after it closed.
    await waitUntil('the failed run in the visibility store', async () => {
      listed = await workflowFailures(client);
      return listed.some((failure) => failure.workflow_id === handle.workflowId);
    }, { timeoutMs: 20_000, intervalMs: 500 });
    expect(listed.find((failure) => failure.workflow_id === handle.workflowId)).toMatchObject({
      operation: 'console-output',
      host,
      step: 'readConsoleTail',
      cause: expect.stringMatching(/timeout|timed out/i),
      run_id: handle.firstExecutionRunId,
      awaiting_decision: false,
      failed_at: expect.any(String),
    });
  });
});

describe('a failed launch nobody decides on', () => {
  const lab2 = waitingCluster(2);

  it('ends in ERROR when the decision window closes', { timeout: 90_000 }, async () => {
    const { request, handle } = await lab2.launch('NEVER-PRINTED');
    const result = await handle.result();
    expect(result).toMatchObject({ status: 'error', host: lab2.host });
    const state = await lab2.state(request.instanceId);
    expect(serverStatus(state)).toBe('ERROR');
    // It waited: the window's timer is in the history, after the failure was recorded.
    const history = await handle.fetchHistory();
    expect((history.events ?? []).some((entry) => entry.timerStartedEventAttributes?.startToFireTimeout?.seconds?.toString() === '2')).toBe(true);
    await expect(handle.executeUpdate(retryUpdate, { args: [retryOf(request.image, 'STRATA-GUEST-DONE')] })).rejects.toThrow();
    saveHistory('launchInstance', 'decision-window-closed', history);
  });
});
