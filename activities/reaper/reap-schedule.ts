// The Temporal schedule that reaps a host's orphans, `reap-orphans-<host>`: created by the
// host's compute worker when it starts, updated when it exists. The interval is
// compute.orphanReapIntervalSeconds (Nova checks for running deleted instances every
// 30 minutes: running_deleted_instance_poll_interval = 1800 s).
import type { Client } from '@temporalio/client';
import type { ReapHostOrphansInput } from '../../workflows/reap-orphans.js';
import { reapHostOrphans } from '../../workflows/reap-orphans.js';
import { CONTROL_TASK_QUEUE } from '../../workflows/task-queues.js';
import { upsertSchedule } from '../schedules.js';

export function reapScheduleId(host: string): string {
  return `reap-orphans-${host}`;
}

export interface ReapScheduleOptions {
  host: string;
  intervalSeconds: number;
  /** Where the workflow runs (the control queue; tests use their own). */
  workflowTaskQueue?: string;
}

export async function upsertReapSchedule(client: Client, { host, intervalSeconds, workflowTaskQueue = CONTROL_TASK_QUEUE }: ReapScheduleOptions): Promise<void> {
  const scheduleId = reapScheduleId(host);
  await upsertSchedule(client, scheduleId, { intervals: [{ every: intervalSeconds * 1000 }] }, {
    type: 'startWorkflow',
    workflowType: reapHostOrphans,
    args: [{ host, dryRun: false }] as [ReapHostOrphansInput],
    taskQueue: workflowTaskQueue,
    workflowId: scheduleId,
  });
}
