// The orphan reaper as an activity on the host's own task queue: the schedule
// `reap-orphans-<host>` and `strata reap` reach a host through it. What it removed is
// recorded with the workflow that asked, and logged through the worker's logger.
import { log } from '@temporalio/activity';
import { activityMetadata } from '../event-metadata.js';
import type { ReapReport, ReaperSettings } from './reap-orphans.js';
import { reapOrphans } from './reap-orphans.js';

export function createReaperActivities(settings: ReaperSettings) {
  return {
    reapOrphans: ({ dryRun }: { dryRun: boolean }): Promise<ReapReport> =>
      reapOrphans(settings, {
        dryRun,
        metadata: activityMetadata(),
        log: (line) => {
          log.info(line);
        },
      }),
  };
}

export type ReaperActivities = ReturnType<typeof createReaperActivities>;
