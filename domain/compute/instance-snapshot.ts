// The snapshot part of the instance aggregate (Nova's createImage): its events, how they
// move task_state, and the one rule for operations that overlap on one instance:
// - a snapshot starts only from ACTIVE or SHUTOFF with no task running (a second snapshot,
//   a snapshot during a build or a delete: 409);
// - a delete may start during a snapshot (task_state deleting): its workflow cancels the
//   snapshot, whose compensation removes the partial image; a snapshot step that lands
//   after the delete began is refused, so a snapshot never outlives its instance's delete.
// Deciding on the instance stream with its expected revision makes the rule hold for
// concurrent requests, not only for ones the API sees one after the other.
import { z } from 'zod';
import { DomainError } from '../decider.js';
import type { InstanceState, TaskState } from './instance.js';

export const snapshotEventSchemas = {
  /** createImage accepted: the image record exists (queued) and workflow `workflowId` captures into it. */
  'InstanceSnapshotStarted.v1': z.object({ imageId: z.uuid(), workflowId: z.string().min(1), startedAt: z.string() }),
  /** The root disk is captured on the host; the upload is next (task_state image_pending_upload). */
  'InstanceSnapshotCaptured.v1': z.object({ imageId: z.uuid() }),
  /** The captured data is being sent to the image store (task_state image_uploading). */
  'InstanceSnapshotUploading.v1': z.object({ imageId: z.uuid() }),
  /** The snapshot is over: its image active (completed), or deleted and its files removed (failed). */
  'InstanceSnapshotEnded.v1': z.object({
    imageId: z.uuid(),
    outcome: z.enum(['completed', 'failed']),
    reason: z.string().max(1024).nullable(),
    endedAt: z.string(),
  }),
} as const;

type Schemas = typeof snapshotEventSchemas;
export type SnapshotEvent = { [Type in keyof Schemas]: { type: Type; data: z.infer<Schemas[Type]> } }[keyof Schemas];

export interface RunningSnapshot {
  imageId: string;
  workflowId: string;
}

export function isSnapshotEvent(event: { type: string }): event is SnapshotEvent {
  return Object.hasOwn(snapshotEventSchemas, event.type);
}

/** A delete that began meanwhile keeps task_state deleting. */
function unlessDeleting(state: InstanceState, next: TaskState | null): TaskState | null {
  return state.taskState === 'deleting' ? 'deleting' : next;
}

export function evolveSnapshot(state: InstanceState, event: SnapshotEvent): InstanceState {
  switch (event.type) {
    case 'InstanceSnapshotStarted.v1':
      return { ...state, taskState: 'image_snapshot', snapshot: { imageId: event.data.imageId, workflowId: event.data.workflowId }, updatedAt: event.data.startedAt };
    case 'InstanceSnapshotCaptured.v1':
      return { ...state, taskState: unlessDeleting(state, 'image_pending_upload') };
    case 'InstanceSnapshotUploading.v1':
      return { ...state, taskState: unlessDeleting(state, 'image_uploading') };
    case 'InstanceSnapshotEnded.v1':
      return { ...state, taskState: unlessDeleting(state, null), snapshot: null, updatedAt: event.data.endedAt };
  }
}

/** Nova's InstanceInvalidState message, which clients show as is. */
function invalidState(state: InstanceState, instanceId: string): DomainError | null {
  if (state.vmState !== 'active' && state.vmState !== 'stopped') {
    return new DomainError('conflict', `Cannot 'createImage' instance ${instanceId} while it is in vm_state ${state.vmState ?? 'unknown'}`);
  }
  if (state.taskState !== null) return new DomainError('conflict', `Cannot 'createImage' instance ${instanceId} while it is in task_state ${state.taskState}`);
  return null;
}

/** Decides a snapshot event on an instance that exists and is not deleted. */
export function decideSnapshot(state: InstanceState & { request: { instanceId: string } }, event: SnapshotEvent): SnapshotEvent[] {
  const instanceId = state.request.instanceId;
  if (event.type === 'InstanceSnapshotStarted.v1') {
    const refusal = invalidState(state, instanceId);
    if (refusal) throw refusal;
    return [event];
  }
  if (state.snapshot?.imageId !== event.data.imageId) {
    // Ending a snapshot that already ended (a compensation after the end) changes nothing.
    if (event.type === 'InstanceSnapshotEnded.v1') return [];
    throw new DomainError('conflict', `Instance ${instanceId} has no snapshot into image ${event.data.imageId} running.`);
  }
  if (event.type !== 'InstanceSnapshotEnded.v1' && state.taskState === 'deleting') {
    throw new DomainError('conflict', `Instance ${instanceId} is being deleted: its snapshot into image ${event.data.imageId} stops.`);
  }
  return [event];
}
