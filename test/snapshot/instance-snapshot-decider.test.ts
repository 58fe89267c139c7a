// The instance aggregate's snapshot rules, given(events).when(command).then(events | error):
// a snapshot starts only from ACTIVE with no task running (a second one, one during a build
// or a delete: 409 with Nova's message); its steps move task_state image_snapshot →
// image_pending_upload → image_uploading → none; a delete may begin during a snapshot, after
// which the snapshot's steps are refused but its end is still recorded (task_state stays
// deleting).
import { describe, expect, it } from 'vitest';
import type { InstanceCommand, InstanceEvent } from '../../domain/compute/instance.js';
import { instanceDecider } from '../../domain/compute/instance.js';
import { DomainError, fold } from '../../domain/decider.js';
import { instanceRequestFor } from '../compute-api/compute-harness.js';

const at = '2026-01-01T00:00:00.000Z';
const request = instanceRequestFor('p1', 'vm');
const imageId = '11111111-1111-4111-8111-111111111111';
const otherImageId = '22222222-2222-4222-8222-222222222222';
const requested: InstanceEvent = { type: 'InstanceRequested.v1', data: request };
const scheduled: InstanceEvent = { type: 'InstanceScheduled.v1', data: { host: 'h1', availabilityZone: 'nova', attempt: 1 } };
const booted: InstanceEvent = { type: 'InstanceBooted.v1', data: { launchedAt: at } };
const failed: InstanceEvent = { type: 'InstanceLaunchFailed.v1', data: { code: 500, message: 'no', step: 'schedule', host: null, attempt: 1, created: at } };
const deleting: InstanceEvent = { type: 'InstanceDeleting.v1', data: { requestedAt: at } };
const deletedEvent: InstanceEvent = { type: 'InstanceDeleted.v1', data: { terminatedAt: at } };
const started = (image = imageId): InstanceEvent => ({ type: 'InstanceSnapshotStarted.v1', data: { imageId: image, workflowId: `snapshot-req-${image}`, startedAt: at } });
const captured = (image = imageId): InstanceEvent => ({ type: 'InstanceSnapshotCaptured.v1', data: { imageId: image } });
const uploading = (image = imageId): InstanceEvent => ({ type: 'InstanceSnapshotUploading.v1', data: { imageId: image } });
const ended = (outcome: 'completed' | 'failed', image = imageId): InstanceEvent => ({
  type: 'InstanceSnapshotEnded.v1',
  data: { imageId: image, outcome, reason: outcome === 'failed' ? 'disk gone' : null, endedAt: at },
});
const active = [requested, scheduled, booted];

const record = (event: InstanceEvent): InstanceCommand => ({ kind: 'record', event: event as Exclude<InstanceEvent, { type: 'InstanceRequested.v1' }> });

function given(events: InstanceEvent[]) {
  const state = fold(instanceDecider, events);
  return {
    state,
    when(command: InstanceCommand): InstanceEvent[] | { kind: string; message: string } {
      try {
        return instanceDecider.decide(command, state);
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        return { kind: error.kind, message: error.message };
      }
    },
  };
}

describe('instance snapshot: start', () => {
  it('starts from ACTIVE with no task, into task_state image_snapshot', () => {
    expect(given(active).when(record(started()))).toEqual([started()]);
    expect(given([...active, started()]).state).toMatchObject({ vmState: 'active', taskState: 'image_snapshot', snapshot: { imageId, workflowId: `snapshot-req-${imageId}` } });
  });

  it.each([
    ['while building', [requested, scheduled], `Cannot 'createImage' instance ${request.instanceId} while it is in vm_state building`],
    ['after a failed launch', [requested, failed], `Cannot 'createImage' instance ${request.instanceId} while it is in vm_state error`],
    ['while another snapshot runs', [...active, started(otherImageId)], `Cannot 'createImage' instance ${request.instanceId} while it is in task_state image_snapshot`],
    ['while another snapshot uploads', [...active, started(otherImageId), captured(otherImageId), uploading(otherImageId)], `Cannot 'createImage' instance ${request.instanceId} while it is in task_state image_uploading`],
    ['while deleting', [...active, deleting], `Cannot 'createImage' instance ${request.instanceId} while it is in task_state deleting`],
  ])('is a conflict %s, with Nova’s message', (_name, history, message) => {
    expect(given(history).when(record(started()))).toEqual({ kind: 'conflict', message });
  });

  it('is not found for a deleted instance and one never requested', () => {
    expect(given([...active, deleting, deletedEvent]).when(record(started()))).toMatchObject({ kind: 'not_found' });
    expect(given([]).when(record(started()))).toMatchObject({ kind: 'not_found' });
  });

  it('starts again once the previous snapshot ended, whatever its outcome', () => {
    expect(given([...active, started(otherImageId), ended('completed', otherImageId)]).when(record(started()))).toEqual([started()]);
    expect(given([...active, started(otherImageId), ended('failed', otherImageId)]).when(record(started()))).toEqual([started()]);
  });
});

describe('instance snapshot: progress and end', () => {
  it('moves task_state image_snapshot → image_pending_upload → image_uploading → none', () => {
    const steps = [started(), captured(), uploading(), ended('completed')];
    const taskStates = steps.map((_, index) => given([...active, ...steps.slice(0, index + 1)]).state.taskState);
    expect(taskStates).toEqual(['image_snapshot', 'image_pending_upload', 'image_uploading', null]);
    const done = given([...active, ...steps]).state;
    expect(done).toMatchObject({ vmState: 'active', taskState: null, snapshot: null });
  });

  it('accepts each step only for the snapshot that runs', () => {
    const running = given([...active, started()]);
    expect(running.when(record(captured()))).toEqual([captured()]);
    expect(running.when(record(captured(otherImageId)))).toMatchObject({ kind: 'conflict' });
    expect(given(active).when(record(uploading()))).toMatchObject({ kind: 'conflict' });
  });

  it('records nothing when a snapshot that already ended is ended again (a compensation after the end)', () => {
    expect(given([...active, started(), ended('completed')]).when(record(ended('failed')))).toEqual([]);
    expect(given(active).when(record(ended('failed')))).toEqual([]);
  });

  it('goes back to ACTIVE with no task when the snapshot failed', () => {
    const { state } = given([...active, started(), captured(), ended('failed')]);
    expect(state).toMatchObject({ vmState: 'active', taskState: null, snapshot: null });
  });
});

describe('instance snapshot and delete', () => {
  it('lets a delete begin during a snapshot', () => {
    expect(given([...active, started(), captured()]).when(record(deleting))).toEqual([deleting]);
  });

  it('refuses the snapshot’s steps once the delete began, but records its end and stays deleting', () => {
    const during = given([...active, started(), deleting]);
    expect(during.when(record(captured()))).toMatchObject({ kind: 'conflict', message: expect.stringContaining('is being deleted') });
    expect(during.when(record(uploading()))).toMatchObject({ kind: 'conflict' });
    expect(during.when(record(ended('failed')))).toEqual([ended('failed')]);
    expect(given([...active, started(), deleting, ended('failed')]).state).toMatchObject({ taskState: 'deleting', snapshot: null });
  });

  it('keeps task_state deleting when a snapshot step recorded before the delete is folded after it', () => {
    expect(given([...active, started(), deleting, captured()]).state.taskState).toBe('deleting');
  });
});
