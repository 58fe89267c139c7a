// The control queue's scheduling activities, run in Temporal's activity context over a
// real SQLite event log: what they record, that a retry records nothing twice, and how
// NoValidHost reaches the workflow.
import { ApplicationFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LaunchFailure } from '../../activities/launch/contract.js';
import { createSchedulingActivities } from '../../activities/scheduling/scheduling-activities.js';
import { handleCommand } from '../../application/handle-command.js';
import type { HostView } from '../../application/hosts/host-view.js';
import { openHostView } from '../../application/hosts/host-view.js';
import { fold } from '../../domain/decider.js';
import { hostStream } from '../../domain/compute/host.js';
import type { InstanceEvent } from '../../domain/compute/instance.js';
import { instanceDecider, instanceStream } from '../../domain/compute/instance.js';
import type { ServerGroupEvent } from '../../domain/compute/server-group.js';
import { serverGroupDecider, serverGroupStream } from '../../domain/compute/server-group.js';
import { addHost, claimEventsPerInstance, hostState, requestInstances, scheduleStep, sqliteSettings, testMetadata } from './support/cluster.js';

let view: HostView;
let activities: Activities;
type Activities = ReturnType<typeof createSchedulingActivities>;

/** Runs one activity in Temporal's activity context, as a worker would. */
function inActivity<Name extends keyof Activities>(name: Name, ...args: Parameters<Activities[Name]>): ReturnType<Activities[Name]> {
  const environment = new MockActivityEnvironment({ activityType: name, workflowExecution: { workflowId: 'launch-test', runId: 'run-1' } });
  return environment.run(() => (activities[name] as (...given: typeof args) => ReturnType<Activities[Name]>)(...args)) as ReturnType<Activities[Name]>;
}

beforeEach(async () => {
  view = await openHostView(sqliteSettings());
  activities = createSchedulingActivities(view);
});
afterEach(async () => view.close());

const instanceState = async (instanceId: string) => fold(instanceDecider, (await view.events.readStream(instanceStream(instanceId))) as unknown as InstanceEvent[]);

describe('scheduling activities', () => {
  it('scheduleInstance claims on the best host and records InstanceScheduled with the workflow in its metadata; a retry changes nothing', async () => {
    await addHost(view.events, 'small', { memoryMb: 4096 });
    await addHost(view.events, 'large', { memoryMb: 16384, availabilityZone: 'az-2' });
    const [request] = await requestInstances(view.events, 1);
    const step = scheduleStep(request!.instanceId);

    const placement = await inActivity('scheduleInstance', step, request!, []);
    const retried = await inActivity('scheduleInstance', step, request!, []);

    expect(placement).toEqual({ host: 'large', availabilityZone: 'az-2' });
    expect(retried).toEqual(placement);
    expect((await claimEventsPerInstance(view.events, ['small', 'large'])).get(request!.instanceId)).toBe(1);
    const stored = await view.events.readStream(instanceStream(request!.instanceId));
    expect(stored.map((event) => event.type)).toEqual(['InstanceRequested.v1', 'InstanceScheduled.v1']);
    expect(stored[1]?.data).toEqual({ host: 'large', availabilityZone: 'az-2', attempt: 1 });
    expect(stored[1]?.metadata).toMatchObject({ workflowId: 'launch-test', runId: 'run-1', activity: 'scheduleInstance' });
  });

  it('takes a request recorded before server groups existed (no groupId)', async () => {
    await addHost(view.events, 'h');
    const [request] = await requestInstances(view.events, 1);
    const { groupId: _dropped, ...older } = request!;

    await expect(inActivity('scheduleInstance', scheduleStep(request!.instanceId), older as typeof request & object, [])).resolves.toMatchObject({ host: 'h' });
  });

  it('NoValidHost is a non-retryable failure of type NoValidHost carrying every reason', async () => {
    await addHost(view.events, 'tiny', { memoryMb: 256 });
    await addHost(view.events, 'elsewhere', { availabilityZone: 'az-9' });
    const [request] = await requestInstances(view.events, 1, { availabilityZone: 'nova' });

    const failure = await inActivity('scheduleInstance', scheduleStep(request!.instanceId), request!, [])
      .catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect(failure).toMatchObject({
      type: LaunchFailure.noValidHost,
      nonRetryable: true,
      message:
        'No valid host was found. RamFilter rejected 1 host (tiny: needs 512 MB RAM, 256 MB free). ' +
        'AvailabilityZoneFilter rejected 1 host (elsewhere: is in zone az-9, not nova).',
    });
    expect((await instanceState(request!.instanceId)).host).toBeNull();
  });

  it('releaseClaim gives the resources and the group place back; again it is a no-op', async () => {
    await addHost(view.events, 'h');
    const groupId = crypto.randomUUID();
    const group = { groupId, name: 'g', policy: 'anti-affinity' as const, maxServerPerHost: null, projectId: 'project', userId: 'user', createdAt: new Date().toISOString() };
    await handleCommand(view.events, serverGroupDecider, serverGroupStream(groupId), { kind: 'create', group }, { metadata: testMetadata() });
    const [request] = await requestInstances(view.events, 1, { groupId });
    await inActivity('scheduleInstance', scheduleStep(request!.instanceId), request!, []);
    const release = { instanceId: request!.instanceId, attempt: 1, key: `launch-${request!.instanceId}/attempt-1/releaseClaim` };

    await inActivity('releaseClaim', release, 'h');
    await inActivity('releaseClaim', release, 'h');

    expect((await hostState(view.events, 'h')).claims.size).toBe(0);
    const groupEvents = (await view.events.readStream(serverGroupStream(groupId))) as unknown as ServerGroupEvent[];
    expect(groupEvents.map((event) => event.type)).toEqual(['ServerGroupCreated.v1', 'ServerGroupMemberPlaced.v1', 'ServerGroupMemberUnplaced.v1']);
    expect(fold(serverGroupDecider, groupEvents).members.get(request!.instanceId)).toBeNull();
    const hostEvents = await view.events.readStream(hostStream('h'));
    expect(hostEvents.filter((event) => event.type === 'ResourcesReleased.v1')).toHaveLength(1);
  });

  it('recordLaunchFailure records the fault operators see, its message cut to what the event keeps', async () => {
    const [request] = await requestInstances(view.events, 1);
    const step = { instanceId: request!.instanceId, attempt: 2, key: `launch-${request!.instanceId}/attempt-2/failed` };

    await inActivity('recordLaunchFailure', step, { code: 500, step: 'schedule', host: null, message: `No valid host was found. ${'x'.repeat(5000)}` });
    await inActivity('recordLaunchFailure', step, { code: 500, step: 'schedule', host: null, message: 'retried' });

    const instance = await instanceState(request!.instanceId);
    expect(instance.vmState).toBe('error');
    expect(instance.fault).toMatchObject({ code: 500, step: 'schedule', host: null, attempt: 2 });
    expect(instance.fault?.message).toHaveLength(4096);
    expect(instance.fault?.message.startsWith('No valid host was found. xxx')).toBe(true);
    expect((await view.events.readStream(instanceStream(request!.instanceId))).filter((event) => event.type === 'InstanceLaunchFailed.v1')).toHaveLength(1);
  });
});
