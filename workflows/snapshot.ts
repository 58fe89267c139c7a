// Snapshotting an instance (Nova's createImage), as the process reads: the API has made
// the image record (queued) and set task_state image_snapshot; on the instance's host the
// root disk of the running guest is copied consistently into a new qcow2 (QMP
// blockdev-backup: a point-in-time copy while the guest keeps running, no pause); then
// image_pending_upload → image_uploading → the copy goes through the image API (which
// computes checksums, size and virtual_size and activates the image); the file is removed
// and task_state is back to none. Any failure — or a delete, which cancels this workflow —
// removes the host's files, deletes the image (never left queued or saving with partial
// data) and ends the snapshot with the instance back to where it was.
import { CancellationScope, isCancellation, proxyActivities, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import type { SnapshotControlActivities, SnapshotHostActivities, SnapshotInput, SnapshotStep, UploadedImage } from '../activities/snapshot/contract.js';
import { searchAttributes } from './search-attributes.js';
import { CONTROL_TASK_QUEUE, computeTaskQueue } from './task-queues.js';

const control = proxyActivities<SnapshotControlActivities>({
  taskQueue: CONTROL_TASK_QUEUE,
  startToCloseTimeout: '30 seconds',
  retry: { maximumAttempts: 5 },
});

/** Copying and uploading heartbeat: a dead worker is noticed within seconds, and the step runs again on its restart. */
function onHost(host: string): SnapshotHostActivities {
  return proxyActivities<SnapshotHostActivities>({
    taskQueue: computeTaskQueue(host),
    startToCloseTimeout: '1 hour',
    heartbeatTimeout: '15 seconds',
    scheduleToCloseTimeout: '2 hours',
    retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '1 minute', maximumAttempts: 10 },
  });
}

/** Cleanup on a host that may be down: bounded, so the image is discarded even then (the host's files go with the instance's directory). */
function cleanupOn(host: string): Pick<SnapshotHostActivities, 'removeSnapshotFiles'> {
  return proxyActivities<SnapshotHostActivities>({
    taskQueue: computeTaskQueue(host),
    startToCloseTimeout: '1 minute',
    scheduleToCloseTimeout: '3 minutes',
    retry: { initialInterval: '2 seconds', maximumInterval: '30 seconds' },
  });
}

function describe(error: unknown): string {
  if (isCancellation(error)) return 'the snapshot was cancelled (the instance is being deleted)';
  let current = error;
  while (current instanceof Error && current.cause instanceof Error) current = current.cause;
  return current instanceof Error ? current.message : String(current);
}

export async function snapshotInstance({ instanceId, imageId, host }: SnapshotInput): Promise<UploadedImage> {
  upsertSearchAttributes([
    { key: searchAttributes.instanceId, value: instanceId },
    { key: searchAttributes.imageId, value: imageId },
    { key: searchAttributes.host, value: host },
    { key: searchAttributes.operation, value: 'snapshot' },
  ]);
  const { workflowId } = workflowInfo();
  const step = (name: string): SnapshotStep => ({ instanceId, attempt: 1, key: `${workflowId}/${name}` });
  const hostSteps = onHost(host);
  try {
    const disk = await hostSteps.captureRootDisk(step('captureRootDisk'), imageId);
    await control.recordSnapshotProgress(step('captured'), imageId, 'captured');
    await control.recordSnapshotProgress(step('uploading'), imageId, 'uploading');
    const uploaded = await hostSteps.uploadSnapshot(step('uploadSnapshot'), imageId, disk);
    // The image is active: a copy the host cannot remove now does not undo it (it goes with the instance's directory).
    await cleanupOn(host)
      .removeSnapshotFiles(step('removeSnapshotFiles'), imageId)
      .catch(() => undefined);
    await control.recordSnapshotEnded(step('ended'), imageId, null);
    return uploaded;
  } catch (error) {
    // A delete cancels this workflow: the cleanup must still run to its end.
    await CancellationScope.nonCancellable(async () => {
      await cleanupOn(host)
        .removeSnapshotFiles(step('compensate/removeSnapshotFiles'), imageId)
        .catch(() => undefined);
      await control.discardSnapshotImage(step('compensate/discardSnapshotImage'), imageId);
      await control.recordSnapshotEnded(step('compensate/ended'), imageId, describe(error));
    });
    throw error;
  }
}
