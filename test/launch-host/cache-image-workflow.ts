// A test workflow that runs ensureImageCached on a host's queue the way the launch
// workflow does (heartbeat timeout, retries), so a test sees a real retry resume from
// the heartbeat details Temporal kept.
import { proxyActivities } from '@temporalio/workflow';
import type { CachedImage, HostLaunchActivities, LaunchStep } from '../../activities/launch/contract.js';
import type { InstanceRequest } from '../../domain/compute/instance.js';
import { computeTaskQueue } from '../../workflows/task-queues.js';

export async function cacheImageOnHost(host: string, step: LaunchStep, image: InstanceRequest['image']): Promise<CachedImage> {
  const { ensureImageCached } = proxyActivities<Pick<HostLaunchActivities, 'ensureImageCached'>>({
    taskQueue: computeTaskQueue(host),
    startToCloseTimeout: '1 minute',
    heartbeatTimeout: '30 seconds',
    retry: { initialInterval: '100 milliseconds', maximumAttempts: 3 },
  });
  return ensureImageCached(step, image);
}
