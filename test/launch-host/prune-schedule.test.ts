// The cache's maintenance through real Temporal: the compute worker's schedule
// `prune-cache-<host>` (created, then updated in place), a triggered run of the prune
// workflow reaching the host's own task queue, and listing through the list workflow.
import type { Client } from '@temporalio/client';
import { randomUUID } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createImageCacheActivities } from '../../activities/launch/cache-activities.js';
import { pruneScheduleId, upsertPruneSchedule } from '../../activities/launch/cache-prune-schedule.js';
import type { PruneResult } from '../../activities/launch/cache-prune.js';
import { workflowsPath } from '../../workers/control.js';
import { listImageCache } from '../../workflows/prune-image-cache.js';
import { computeTaskQueue } from '../../workflows/task-queues.js';
import { waitUntil } from '../../runtime/wait.js';
import { fileImageSource, guestFiles, imageOf, runActivity, useHostLab } from './host-lab.js';
import { useTemporalWorkers } from './temporal-workers.js';

const lab = useHostLab();

describe('image cache maintenance on a real Temporal dev server', () => {
  const host = `cache-host-${randomUUID().slice(0, 8)}`;
  const controlQueue = `control-test-${randomUUID()}`;
  let cacheHost: ReturnType<typeof lab.host>;
  let client: Client;
  const temporal = useTemporalWorkers(() => {
    cacheHost = lab.host({ source: fileImageSource(new Map()).source });
    return [
      { taskQueue: controlQueue, workflowsPath },
      { taskQueue: computeTaskQueue(host), activities: createImageCacheActivities({ layout: cacheHost.layout }) },
    ];
  });

  beforeAll(() => {
    client = temporal.client();
  });

  afterAll(async () => {
    await client.schedule.getHandle(pruneScheduleId(host)).delete().catch(() => undefined);
  });

  it('creates the schedule, updates it in place, and a triggered run prunes the host it names', { timeout: 120_000 }, async () => {
    const { layout, activities } = cacheHost;
    const image = await imageOf(guestFiles.biosRaw, 'raw');
    const cache = lab.host({ source: fileImageSource(new Map([[image.id, guestFiles.biosRaw]])).source, layout });
    const instanceId = randomUUID();
    const { result: base } = await runActivity(cache.activities.ensureImageCached, [lab.step(instanceId, 'ensureImageCached'), image]);
    await runActivity(activities.destroyInstance, [lab.step(instanceId, 'destroyInstance')]);

    await upsertPruneSchedule(client, { host, minAgeSeconds: 86_400, workflowTaskQueue: controlQueue });
    await upsertPruneSchedule(client, { host, minAgeSeconds: 0, workflowTaskQueue: controlQueue });
    const schedule = client.schedule.getHandle(pruneScheduleId(host));
    const description = await schedule.describe();
    expect(description.action).toMatchObject({ type: 'startWorkflow', workflowType: 'pruneImageCache', taskQueue: controlQueue, args: [{ host, minAgeSeconds: 0 }] });
    expect(description.spec.intervals).toMatchObject([{ every: 40 * 60 * 1000 }]);

    const listed = await client.workflow.execute(listImageCache, { taskQueue: controlQueue, workflowId: `list-${host}`, args: [host] });
    expect(listed.bases.map((entry) => [entry.imageId, entry.inUseBy])).toEqual([[image.id, []]]);

    await schedule.trigger();
    let workflowId = '';
    await waitUntil('the schedule to start its prune workflow', async () => {
      const action = (await schedule.describe()).info.recentActions[0]?.action;
      workflowId = action?.workflow.workflowId ?? '';
      return workflowId !== '';
    }, { timeoutMs: 30_000, intervalMs: 200 });
    const result = (await client.workflow.getHandle(workflowId).result()) as PruneResult;
    expect(result.removed).toEqual([{ name: layout.base(image.id).name, imageId: image.id, sizeBytes: 1024 * 1024, reason: 'unused' }]);
    expect(await stat(base.path).catch(() => null)).toBeNull();
  });
});
