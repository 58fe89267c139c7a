// The instance aggregate's delete rules, given(events).when(command).then(events | error):
// a delete may be asked for in any state but deleted and only once; the host step and the
// end are recorded only while deleting; a launch step landing during a delete keeps
// task_state deleting; nothing happens to a deleted instance.
import { describe, expect, it } from 'vitest';
import type { InstanceCommand, InstanceEvent } from '../../domain/compute/instance.js';
import { instanceDecider, serverStatus } from '../../domain/compute/instance.js';
import { DomainError, fold } from '../../domain/decider.js';
import { instanceRequestFor } from '../compute-api/compute-harness.js';

const at = '2026-01-01T00:00:00.000Z';
const requested: InstanceEvent = { type: 'InstanceRequested.v1', data: instanceRequestFor('p1', 'vm') };
const scheduled: InstanceEvent = { type: 'InstanceScheduled.v1', data: { host: 'h1', availabilityZone: 'nova', attempt: 1 } };
const booted: InstanceEvent = { type: 'InstanceBooted.v1', data: { launchedAt: at } };
const failed: InstanceEvent = { type: 'InstanceLaunchFailed.v1', data: { code: 500, message: 'no', step: 'schedule', host: null, attempt: 1, created: at } };
const deleting: InstanceEvent = { type: 'InstanceDeleting.v1', data: { requestedAt: at } };
const destroyed: InstanceEvent = { type: 'InstanceDestroyed.v1', data: { host: 'h1' } };
const deletedEvent: InstanceEvent = { type: 'InstanceDeleted.v1', data: { terminatedAt: at } };

const record = (event: Exclude<InstanceEvent, { type: 'InstanceRequested.v1' }>): InstanceCommand => ({ kind: 'record', event });

function given(events: InstanceEvent[]) {
  const state = fold(instanceDecider, events);
  return {
    state,
    when(command: InstanceCommand): InstanceEvent[] | string {
      try {
        return instanceDecider.decide(command, state);
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        return error.kind;
      }
    },
  };
}

describe('instance delete', () => {
  it.each([
    ['building', [requested]],
    ['building on a host', [requested, scheduled]],
    ['active', [requested, scheduled, booted]],
    ['error', [requested, failed]],
  ])('is accepted while %s', (_name, history) => {
    expect(given(history).when(record(deleting))).toEqual([deleting]);
  });

  it('records nothing when asked again while deleting', () => {
    expect(given([requested, scheduled, booted, deleting]).when(record(deleting))).toEqual([]);
  });

  it('is not found once deleted, and for an instance never requested', () => {
    expect(given([requested, deleting, deletedEvent]).when(record(deleting))).toBe('not_found');
    expect(given([requested, deleting, deletedEvent]).when(record(booted))).toBe('not_found');
    expect(given([]).when(record(deleting))).toBe('not_found');
  });

  it('records the host step and the end only while deleting', () => {
    expect(given([requested, scheduled, booted]).when(record(destroyed))).toBe('conflict');
    expect(given([requested, scheduled, booted]).when(record(deletedEvent))).toBe('conflict');
    expect(given([requested, scheduled, booted, deleting]).when(record(destroyed))).toEqual([destroyed]);
    expect(given([requested, scheduled, booted, deleting, destroyed]).when(record(deletedEvent))).toEqual([deletedEvent]);
  });

  it('keeps task_state deleting when a launch step lands during the delete', () => {
    const { state } = given([requested, deleting, scheduled, booted]);
    expect(state).toMatchObject({ vmState: 'active', taskState: 'deleting' });
  });

  it('ends DELETED with terminated_at, no task and no power', () => {
    const { state } = given([requested, scheduled, booted, deleting, destroyed, deletedEvent]);
    expect(serverStatus(state)).toBe('DELETED');
    expect(state).toMatchObject({ vmState: 'deleted', taskState: null, powerState: 0, pid: null, rootDisk: null, terminatedAt: at, updatedAt: at });
  });
});
