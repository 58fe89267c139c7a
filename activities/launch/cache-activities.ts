// The image cache's maintenance as activities on the host's own task queue: the prune
// schedule and `strata cache` reach a host's cache through them.
import type { CacheListing, PruneResult } from './cache-prune.js';
import { listCache, pruneCache } from './cache-prune.js';
import type { HostLayout } from './host-layout.js';

export function createImageCacheActivities({ layout }: { layout: HostLayout }) {
  return {
    listCache: (): Promise<CacheListing> => listCache(layout),
    pruneCache: ({ minAgeSeconds }: { minAgeSeconds: number }): Promise<PruneResult> => pruneCache(layout, { minAgeSeconds }),
  };
}

export type ImageCacheActivities = ReturnType<typeof createImageCacheActivities>;
