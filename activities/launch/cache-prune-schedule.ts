// The Temporal schedule that prunes a host's image cache, `prune-cache-<host>`: created
// by the host's compute worker when it starts, updated when it exists (so a changed
// minimum age takes effect on the next start). Every 40 minutes, as Nova's image cache
// manager runs (image_cache.manager_interval = 2400 s); a pass still running when the
// next is due makes the next one skip.
import type { Client, ScheduleSpec } from '@temporalio/client';
import { pruneImageCache } from '../../workflows/prune-image-cache.js';
import { CONTROL_TASK_QUEUE } from '../../workflows/task-queues.js';
import { upsertSchedule } from '../schedules.js';

const PRUNE_INTERVAL = '40 minutes' as const;

export function pruneScheduleId(host: string): string {
  return `prune-cache-${host}`;
}

export interface PruneScheduleOptions {
  host: string;
  minAgeSeconds: number;
  /** Where the workflow runs (the control queue; tests use their own). */
  workflowTaskQueue?: string;
}

export async function upsertPruneSchedule(client: Client, { host, minAgeSeconds, workflowTaskQueue = CONTROL_TASK_QUEUE }: PruneScheduleOptions): Promise<void> {
  const scheduleId = pruneScheduleId(host);
  const spec: ScheduleSpec = { intervals: [{ every: PRUNE_INTERVAL }] };
  const action = {
    type: 'startWorkflow' as const,
    workflowType: pruneImageCache,
    args: [{ host, minAgeSeconds }] as [{ host: string; minAgeSeconds: number }],
    taskQueue: workflowTaskQueue,
    workflowId: scheduleId,
  };
  await upsertSchedule(client, scheduleId, spec, action);
}
