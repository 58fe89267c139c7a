// A compute worker: the activities that touch this host's disks and QEMU — the host
// probe, the launch steps, the image cache's maintenance — on the host's own task queue
// `compute.<host>`. At start it also creates (or updates) the host's cache-prune and
// orphan-reaper schedules.
import { computeHostName } from '../config/paths.js';
import type { StrataConfig } from '../config/schema.js';
import { createConsoleActivities } from '../activities/console.js';
import { createHostProbeActivities } from '../activities/host-probe.js';
import { upsertPruneSchedule } from '../activities/launch/cache-prune-schedule.js';
import { computeHostActivitiesFor } from '../activities/launch/host-wiring.js';
import { snapshotHostActivitiesFor } from '../activities/snapshot/wiring.js';
import { createReaperActivities } from '../activities/reaper/reaper-activities.js';
import { upsertReapSchedule } from '../activities/reaper/reap-schedule.js';
import { createVolumeHostActivities } from '../activities/launch/volume-host.js';
import { announceComputeHost } from '../activities/scheduling/compute-host-presence.js';
import { strataEventSchemas } from '../domain/event-registry.js';
import { openEventStore } from '../eventstore/open.js';
import { computeTaskQueue } from '../workflows/task-queues.js';
import { runWorkerUntilSignalled } from './run-worker.js';
import { withTemporalClient } from './temporal-connection.js';

async function scheduleMaintenance(config: StrataConfig, host: string): Promise<void> {
  await withTemporalClient(config, async (client) => {
    await upsertPruneSchedule(client, { host, minAgeSeconds: config.compute.imageCacheMinAgeSeconds });
    await upsertReapSchedule(client, { host, intervalSeconds: config.compute.orphanReapIntervalSeconds });
  });
}

export async function runComputeWorker(config: StrataConfig): Promise<void> {
  const host = computeHostName(config);
  const events = openEventStore(config, strataEventSchemas());
  try {
    const { layout, launch, cache } = computeHostActivitiesFor(config, events);
    const { orphanGraceSeconds: graceSeconds, ephemeralClear: clear } = config.compute;
    const reaper = createReaperActivities({ host, layout, events, graceSeconds, clear });
    const probe = createHostProbeActivities({
      host,
      availabilityZone: config.compute.availabilityZone,
      stateDir: layout.hostDir,
      accelerator: config.compute.accelerator,
      ovmf: { code: config.compute.ovmfCode, vars: config.compute.ovmfVars },
    });
    await scheduleMaintenance(config, host);
    // Registered and heartbeating before it polls: the scheduler may place instances here from now on.
    const presence = await announceComputeHost(config, await probe.describeHost(), events);
    try {
      await runWorkerUntilSignalled(config, { taskQueue: computeTaskQueue(host), activities: { ...probe, ...launch, ...cache, ...reaper, ...createConsoleActivities({ layout }), ...createVolumeHostActivities({ host, events, layout }), ...snapshotHostActivitiesFor(config, layout) } }, `compute worker ${host}`);
    } finally {
      await presence.stop();
    }
  } finally {
    await events.close();
  }
}
