// The instance-action derivation: given an instance's events, the actions Nova would list
// and the steps each shows — with failures, retries, a delete during a build, snapshots
// and volume attachments.
import { describe, expect, it } from 'vitest';
import { instanceActions, type ActionSourceEvent } from '../../domain/compute/instance-actions.js';

const ID = '6f1c2c1e-8a0b-4f7e-9d55-0a1b2c3d4e5f';
const alice = { userId: 'alice', projectId: 'project-a' };
const operator = { userId: 'admin', projectId: 'admin' };

let clock = 0;
let counter = 0;
function at(): string {
  clock += 1;
  return new Date(Date.UTC(2026, 10, 27, 12, 0, clock)).toISOString();
}

/** An event as the API (request) or a workflow step (workflow + activity) records it. */
function event(type: string, data: Record<string, unknown>, by: { requestId?: string; actor?: typeof alice; workflow?: string; activity?: string } = {}): ActionSourceEvent {
  counter += 1;
  return {
    id: `00000000-0000-4000-8000-${String(counter).padStart(12, '0')}`,
    type,
    data,
    metadata: { actor: by.actor ?? null, requestId: by.requestId ?? null, workflowId: by.workflow ?? null, activity: by.activity ?? null, timestamp: at() },
  };
}

const launch = (activity: string) => ({ workflow: `launch-${ID}`, activity });
const requested = () => event('InstanceRequested.v1', { instanceId: ID, projectId: 'project-a' }, { requestId: 'req-create', actor: alice });
const bootOn = (host: string, attempt = 1) => [
  event('InstanceScheduled.v1', { host, availabilityZone: 'nova', attempt }, launch('scheduleInstance')),
  event('RootDiskCreated.v1', { path: '/d', sizeGb: 1, baseImage: 'b' }, launch('createRootDisk')),
  event('EphemeralDiskCreated.v1', { path: '/e', sizeGb: 1, encrypted: false }, launch('createEphemeralDisk')),
  event('InstanceSpawning.v1', { host }, launch('startVm')),
  event('VmStarted.v1', { pid: 42 }, launch('startVm')),
  event('InstanceBooted.v1', { launchedAt: 'x' }, launch('waitForBoot')),
];

describe('instance actions from events', () => {
  it('makes a successful launch one create action with one step per workflow step', () => {
    const events = [requested(), ...bootOn('host-1')];
    const [create, ...others] = instanceActions(events);
    expect(others).toEqual([]);
    expect(create).toMatchObject({ action: 'create', requestId: 'req-create', userId: 'alice', projectId: 'project-a', message: null, outcome: 'success' });
    expect(create!.startTime).toBe(events[0]!.metadata.timestamp);
    expect(create!.finishTime).toBe(events.at(-1)!.metadata.timestamp);
    expect(create!.steps.map((step) => [step.event, step.result, step.host])).toEqual([
      ['scheduleInstance', 'Success', 'host-1'],
      ['createRootDisk', 'Success', 'host-1'],
      ['createEphemeralDisk', 'Success', 'host-1'],
      ['startVm', 'Success', 'host-1'],
      ['waitForBoot', 'Success', 'host-1'],
    ]);
    // Steps follow one another: each starts when the previous one finished, startVm spans both its events.
    const startVm = create!.steps[3]!;
    expect(startVm.startTime).toBe(events[3]!.metadata.timestamp);
    expect(startVm.finishTime).toBe(events[5]!.metadata.timestamp);
  });

  it("records a failed launch as Error with the failing step, and an operator's retry as its own action", () => {
    const failed = event('InstanceLaunchFailed.v1', { code: 500, message: 'guest never printed its marker', step: 'waitForBoot', host: 'host-1', attempt: 1, created: 'x' }, launch('recordLaunchFailure'));
    const retry = event('InstanceRetryRequested.v1', { attempt: 2, host: null, requestedAt: 'x' }, { ...launch('recordRetryRequested'), requestId: 'req-retry', actor: operator });
    const events = [requested(), ...bootOn('host-1').slice(0, 5), failed, retry, ...bootOn('host-2', 2)];
    const [create, retried] = instanceActions(events);
    expect(create).toMatchObject({ action: 'create', message: 'Error', outcome: 'error', finishTime: failed.metadata.timestamp });
    expect(create!.steps.at(-1)).toMatchObject({ event: 'waitForBoot', result: 'Error', host: 'host-1', details: 'guest never printed its marker' });
    expect(retried).toMatchObject({ action: 'retry', requestId: 'req-retry', userId: 'admin', message: null, finishTime: events.at(-1)!.metadata.timestamp });
    expect(retried!.steps.map((step) => step.host)).toEqual(['host-2', 'host-2', 'host-2', 'host-2', 'host-2']);
  });

  it('closes a launch that a delete ended, and gives the delete its own steps', () => {
    const deleting = event('InstanceDeleting.v1', { requestedAt: 'x' }, { requestId: 'req-delete', actor: alice });
    const events = [
      requested(),
      ...bootOn('host-1').slice(0, 2),
      deleting,
      event('InstanceDestroyed.v1', { host: 'host-1' }, { workflow: `delete-${ID}`, activity: 'recordInstanceDestroyed' }),
      event('InstanceDeleted.v1', { terminatedAt: 'x' }, { workflow: `delete-${ID}`, activity: 'recordInstanceDeleted' }),
    ];
    const [create, removal] = instanceActions(events);
    expect(create!.finishTime).toBe(events.at(-1)!.metadata.timestamp);
    expect(create!.message).toBeNull();
    expect(create!.outcome).toBe('cancelled');
    expect(removal).toMatchObject({ action: 'delete', requestId: 'req-delete', message: null, finishTime: events.at(-1)!.metadata.timestamp });
    expect(removal!.steps.map((step) => [step.event, step.startTime])).toEqual([
      ['recordInstanceDestroyed', deleting.metadata.timestamp],
      ['recordInstanceDeleted', events[4]!.metadata.timestamp],
    ]);
  });

  it('attributes a late launch step to the create even after a delete started', () => {
    const events = [requested(), event('InstanceDeleting.v1', { requestedAt: 'x' }, { requestId: 'req-delete', actor: alice }), ...bootOn('host-1').slice(0, 1)];
    const [create, removal] = instanceActions(events);
    expect(create!.steps.map((step) => step.event)).toEqual(['scheduleInstance']);
    expect(removal!.steps).toEqual([]);
    expect(removal!.finishTime).toBeNull();
    expect(removal!.outcome).toBeNull();
  });

  it('shows snapshots (failed ones as Error) and volume attachments, naming actions recorded outside a request by their event', () => {
    const snapshot = (workflow: string, requestId: string) =>
      event('InstanceSnapshotStarted.v1', { imageId: ID, workflowId: workflow, startedAt: 'x' }, { requestId, actor: alice });
    const attached = event('InstanceVolumeAttached.v1', { volumeId: ID, attachmentId: ID, device: 'vdc' }, { workflow: 'volume-attach-x', activity: 'attachVolume' });
    const events = [
      requested(),
      ...bootOn('host-1'),
      snapshot('snapshot-1', 'req-snap-1'),
      event('InstanceSnapshotCaptured.v1', { imageId: ID }, { workflow: 'snapshot-1', activity: 'captureSnapshot' }),
      event('InstanceSnapshotEnded.v1', { imageId: ID, outcome: 'completed', reason: null, endedAt: 'x' }, { workflow: 'snapshot-1', activity: 'endSnapshot' }),
      snapshot('snapshot-2', 'req-snap-2'),
      event('InstanceSnapshotEnded.v1', { imageId: ID, outcome: 'failed', reason: 'disk full', endedAt: 'x' }, { workflow: 'snapshot-2', activity: 'endSnapshot' }),
      attached,
    ];
    const actions = instanceActions(events);
    expect(actions.map((action) => [action.action, action.message])).toEqual([
      ['create', null],
      ['createImage', null],
      ['createImage', 'Error'],
      ['attach_volume', null],
    ]);
    expect(actions[1]!.steps.map((step) => step.event)).toEqual(['captureSnapshot', 'endSnapshot']);
    expect(actions[2]!.steps[0]).toMatchObject({ result: 'Error', details: 'disk full' });
    expect(actions[3]).toMatchObject({ requestId: `req-${attached.id}`, userId: null, startTime: attached.metadata.timestamp, finishTime: attached.metadata.timestamp });
  });

  it('derives nothing from no events', () => {
    expect(instanceActions([])).toEqual([]);
  });
});
