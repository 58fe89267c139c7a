// The instance aggregate's retry and reset-state rules, given(events).when(command).then:
// a retry is accepted only for a failed launch (not while deleting, not when active or
// building) and makes the instance building again with the image as it is now and no
// fault; a reset sets vm_state by hand from any state but deleted and clears task_state.
import { describe, expect, it } from 'vitest';
import type { InstanceCommand, InstanceEvent } from '../../domain/compute/instance.js';
import { instanceDecider, serverStatus } from '../../domain/compute/instance.js';
import { DomainError, fold } from '../../domain/decider.js';
import { instanceRequestFor } from '../compute-api/compute-harness.js';

const at = '2026-01-01T00:00:00.000Z';
const request = instanceRequestFor('p1', 'vm');
const requested: InstanceEvent = { type: 'InstanceRequested.v1', data: request };
const scheduled: InstanceEvent = { type: 'InstanceScheduled.v1', data: { host: 'h1', availabilityZone: 'nova', attempt: 1 } };
const booted: InstanceEvent = { type: 'InstanceBooted.v1', data: { launchedAt: at } };
const failed: InstanceEvent = { type: 'InstanceLaunchFailed.v1', data: { code: 500, message: 'no marker', step: 'waitForBoot', host: 'h1', attempt: 1, created: at, decisionUntil: at } };
const deleting: InstanceEvent = { type: 'InstanceDeleting.v1', data: { requestedAt: at } };
const deleted: InstanceEvent = { type: 'InstanceDeleted.v1', data: { terminatedAt: at } };
const fixedImage = { ...request.image, properties: { strata_boot_marker: 'STRATA-GUEST-DONE' } };
const retried: InstanceEvent = { type: 'InstanceRetryRequested.v1', data: { attempt: 2, host: null, image: fixedImage, requestedAt: at } };
const resetTo = (vmState: 'active' | 'error'): Extract<InstanceEvent, { type: 'InstanceStateReset.v1' }> => ({ type: 'InstanceStateReset.v1', data: { vmState, resetAt: at } });

const record = (event: Exclude<InstanceEvent, { type: 'InstanceRequested.v1' }>): InstanceCommand => ({ kind: 'record', event });

function when(history: InstanceEvent[], event: Exclude<InstanceEvent, { type: 'InstanceRequested.v1' }>): InstanceEvent[] | string {
  try {
    return instanceDecider.decide(record(event), fold(instanceDecider, history));
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    return error.kind;
  }
}

describe('retrying a failed launch', () => {
  it('is accepted for an instance in ERROR, which is building again with the image as it is now and no fault', () => {
    expect(when([requested, scheduled, failed], retried)).toEqual([retried]);
    const state = fold(instanceDecider, [requested, scheduled, failed, retried]);
    expect(serverStatus(state)).toBe('BUILD');
    expect(state).toMatchObject({ taskState: 'scheduling', fault: null });
    expect(state.request?.image.properties).toEqual({ strata_boot_marker: 'STRATA-GUEST-DONE' });
    // The next attempt's steps are recorded as for any launch.
    const rescheduled: InstanceEvent = { type: 'InstanceScheduled.v1', data: { host: 'h2', availabilityZone: 'nova', attempt: 2 } };
    expect(when([requested, scheduled, failed, retried], rescheduled)).toEqual([rescheduled]);
  });

  it.each([
    ['building', [requested, scheduled]],
    ['active', [requested, scheduled, booted]],
    ['being deleted', [requested, scheduled, failed, deleting]],
    ['already retried', [requested, scheduled, failed, retried]],
  ])('is refused while %s', (_name, history) => {
    expect(when(history, retried)).toBe('conflict');
  });

  it('finds no deleted instance', () => {
    expect(when([requested, failed, deleting, deleted], retried)).toBe('not_found');
  });
});

describe('os-resetState', () => {
  it.each([
    ['building', [requested, scheduled], 'active', 'ACTIVE'],
    ['active', [requested, scheduled, booted], 'error', 'ERROR'],
    ['error', [requested, scheduled, failed], 'active', 'ACTIVE'],
    ['deleting', [requested, scheduled, booted, deleting], 'error', 'ERROR'],
  ] as const)('sets vm_state by hand while %s and clears task_state', (_name, history, vmState, status) => {
    const reset = resetTo(vmState);
    expect(when([...history], reset)).toEqual([reset]);
    const state = fold(instanceDecider, [...history, reset]);
    expect(serverStatus(state)).toBe(status);
    expect(state.taskState).toBeNull();
  });

  it('finds no deleted instance', () => {
    expect(when([requested, failed, deleting, deleted], resetTo('active'))).toBe('not_found');
  });
});
