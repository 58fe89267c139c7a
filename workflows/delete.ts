// Deleting an instance, as the process reads: end its launch if one still runs (the
// launch undoes what it built), then on its host stop QEMU and remove its disks and
// directory, release its volumes (kept, data intact), give the host's claim back, leave its
// server group, and record it deleted.
// An instance that never got a host skips the host step. A host whose worker is down is
// retried with backoff for up to an hour: its QEMU may still run, so its claim is not
// given back before the host confirms; after that the workflow fails and the instance
// stays in task_state deleting, where another DELETE starts the delete again.
import { proxyActivities, upsertSearchAttributes } from '@temporalio/workflow';
import type { DeleteActivities, DeleteStep } from '../activities/delete/contract.js';
import type { HostLaunchActivities, SchedulingActivities } from '../activities/launch/contract.js';
import { searchAttributes } from './search-attributes.js';
import { CONTROL_TASK_QUEUE, computeTaskQueue } from './task-queues.js';
import { releaseVolume } from './volume-detach.js';

export interface DeleteResult {
  host: string | null;
}

const control = proxyActivities<DeleteActivities & Pick<SchedulingActivities, 'releaseClaim'>>({
  taskQueue: CONTROL_TASK_QUEUE,
  startToCloseTimeout: '30 seconds',
  retry: { maximumAttempts: 5 },
});

// The launch's longest step is a download (an hour); its compensation then runs in seconds.
const launches = proxyActivities<DeleteActivities>({
  taskQueue: CONTROL_TASK_QUEUE,
  startToCloseTimeout: '70 minutes',
  heartbeatTimeout: '30 seconds',
  retry: { maximumAttempts: 3 },
});

/**
 * Retried until the host's worker answers (a schedule-to-start timeout would not be retried), bounded by an hour.
 * destroyInstance heartbeats, so a worker killed in the middle of it is retried after 30 s, not 2 minutes.
 */
function onHost(host: string): Pick<HostLaunchActivities, 'destroyInstance'> {
  return proxyActivities<HostLaunchActivities>({
    taskQueue: computeTaskQueue(host),
    startToCloseTimeout: '2 minutes',
    heartbeatTimeout: '30 seconds',
    scheduleToCloseTimeout: '1 hour',
    retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '5 minutes' },
  });
}

export async function deleteInstance(instanceId: string): Promise<DeleteResult> {
  upsertSearchAttributes([
    { key: searchAttributes.instanceId, value: instanceId },
    { key: searchAttributes.operation, value: 'delete' },
  ]);
  const step = (name: string, attempt = 1): DeleteStep => ({ instanceId, attempt, key: `delete-${instanceId}/${name}` });

  await launches.cancelLaunch(step('cancelLaunch'));
  const instance = await control.instanceToDelete(step('instanceToDelete'));
  if (instance.host !== null) {
    upsertSearchAttributes([{ key: searchAttributes.host, value: instance.host }]);
    await onHost(instance.host).destroyInstance(step('destroyInstance', instance.attempt));
    await control.recordInstanceDestroyed(step('destroyInstance', instance.attempt), instance.host);
    // Nova keeps volumes on delete: each is detached (export withdrawn) with its data intact.
    for (const volume of instance.volumes ?? []) await releaseVolume({ ...volume, instanceId, host: instance.host });
    await control.releaseClaim(step('releaseClaim', instance.attempt), instance.host);
  }
  if (instance.groupId !== null) await control.leaveServerGroup(step('leaveServerGroup'), instance.groupId);
  await control.recordInstanceDeleted(step('deleted'));
  return { host: instance.host };
}
