// A compute host's orphan reaper, reached through the host's own task queue: run by the
// schedule `reap-orphans-<host>` and by `strata reap`. The work is the host's; the
// workflow only routes it there.
import { proxyActivities } from '@temporalio/workflow';
import type { ReapReport } from '../activities/reaper/reap-orphans.js';
import type { ReaperActivities } from '../activities/reaper/reaper-activities.js';
import { tagWorkflow } from './search-attributes.js';
import { computeTaskQueue } from './task-queues.js';

export interface ReapHostOrphansInput {
  host: string;
  dryRun: boolean;
}

export async function reapHostOrphans({ host, dryRun }: ReapHostOrphansInput): Promise<ReapReport> {
  tagWorkflow('reap-orphans', { host });
  const reaper = proxyActivities<ReaperActivities>({
    taskQueue: computeTaskQueue(host),
    // A host that is down skips this pass rather than piling passes up.
    scheduleToStartTimeout: '5 minutes',
    // Each orphan's QEMU stops within seconds; a large ephemeral disk takes longest to zero.
    startToCloseTimeout: '30 minutes',
    retry: { maximumAttempts: 3 },
  });
  return reaper.reapOrphans({ dryRun });
}
