// A compute host's image cache, reached through the host's own task queue: pruning (run
// by the schedule `prune-cache-<host>` and by `strata cache prune`) and listing (for
// `strata cache list`). The work is the host's; the workflow only routes it there.
import { proxyActivities } from '@temporalio/workflow';
import type { ImageCacheActivities } from '../activities/launch/cache-activities.js';
import type { CacheListing, PruneResult } from '../activities/launch/cache-prune.js';
import { tagWorkflow } from './search-attributes.js';
import { computeTaskQueue } from './task-queues.js';

export interface PruneImageCacheInput {
  host: string;
  minAgeSeconds: number;
}

function cacheOf(host: string) {
  return proxyActivities<ImageCacheActivities>({
    taskQueue: computeTaskQueue(host),
    // A host that is down skips this pass rather than piling passes up.
    scheduleToStartTimeout: '5 minutes',
    startToCloseTimeout: '10 minutes',
    retry: { maximumAttempts: 3 },
  });
}

export async function pruneImageCache({ host, minAgeSeconds }: PruneImageCacheInput): Promise<PruneResult> {
  tagWorkflow('prune-image-cache', { host });
  return cacheOf(host).pruneCache({ minAgeSeconds });
}

export async function listImageCache(host: string): Promise<CacheListing> {
  tagWorkflow('list-image-cache', { host });
  return cacheOf(host).listCache();
}
