// The storage node's activities as a volume workflow calls them: on the node's own queue,
// retried while the node's worker is away (bounded by an hour), never past bad input.
import { proxyActivities } from '@temporalio/workflow';
import type { StorageVolumeActivities } from '../activities/storage/volume-activities.js';
import { storageTaskQueue } from './task-queues.js';

export function onStorageNode(node: string): StorageVolumeActivities {
  return proxyActivities<StorageVolumeActivities>({
    taskQueue: storageTaskQueue(node),
    startToCloseTimeout: '2 minutes',
    scheduleToCloseTimeout: '1 hour',
    retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
  });
}

/** Records a failure with a short deadline of its own: the long one above was what ran out. */
function failureRecorder(node: string): Pick<StorageVolumeActivities, 'recordVolumeFailure'> {
  return proxyActivities<StorageVolumeActivities>({ taskQueue: storageTaskQueue(node), startToCloseTimeout: '30 seconds', retry: { maximumAttempts: 5 } });
}

export function failureMessage(error: unknown): string {
  const cause = (error as { cause?: unknown }).cause;
  return (cause instanceof Error ? cause.message : error instanceof Error ? error.message : String(error)).slice(0, 4096);
}

export interface VolumeWorkflowInput {
  volumeId: string;
  node: string;
}

/**
 * Runs a volume's operation on its node; when the node refuses or never answers, records
 * the failure on the volume and reports false rather than failing the workflow.
 */
export async function onNodeOrRecordFailure(
  { volumeId, node }: VolumeWorkflowInput,
  operation: 'create' | 'delete',
  work: (storage: StorageVolumeActivities, volumeId: string) => Promise<void>,
): Promise<boolean> {
  try {
    await work(onStorageNode(node), volumeId);
    return true;
  } catch (error) {
    await failureRecorder(node).recordVolumeFailure(volumeId, operation, failureMessage(error));
    return false;
  }
}
