// A compute worker: the activities that touch this host's disks and QEMU — the host
// probe, the launch steps, the image cache's maintenance — on the host's own task queue
// `compute.<host>`. At start it also creates (or updates) the host's cache-prune schedule.
import { Client, Connection } from '@temporalio/client';
import { computeHostName } from '../config/paths.js';
import type { StrataConfig } from '../config/schema.js';
import { createConsoleActivities } from '../activities/console.js';
import { createHostProbeActivities } from '../activities/host-probe.js';
import { upsertPruneSchedule } from '../activities/launch/cache-prune-schedule.js';
import { computeHostActivitiesFor } from '../activities/launch/host-wiring.js';
import { announceComputeHost } from '../activities/scheduling/compute-host-presence.js';
import { strataEventSchemas } from '../domain/event-registry.js';
import { openEventStore } from '../eventstore/open.js';
import { computeTaskQueue } from '../workflows/task-queues.js';
import { runWorkerUntilSignalled } from './run-worker.js';
import { temporalAddress } from './temporal-connection.js';

async function schedulePruning(config: StrataConfig, host: string): Promise<void> {
  const connection = await Connection.connect({ address: temporalAddress(config) });
  try {
    const client = new Client({ connection, namespace: config.temporal.namespace });
    await upsertPruneSchedule(client, { host, minAgeSeconds: config.compute.imageCacheMinAgeSeconds });
  } finally {
    await connection.close();
  }
}

export async function runComputeWorker(config: StrataConfig): Promise<void> {
  const host = computeHostName(config);
  const events = openEventStore(config, strataEventSchemas());
  try {
    const { layout, launch, cache } = computeHostActivitiesFor(config, events);
    const probe = createHostProbeActivities({
      host,
      availabilityZone: config.compute.availabilityZone,
      stateDir: layout.hostDir,
      accelerator: config.compute.accelerator,
      ovmf: { code: config.compute.ovmfCode, vars: config.compute.ovmfVars },
    });
    await schedulePruning(config, host);
    // Registered and heartbeating before it polls: the scheduler may place instances here from now on.
    const presence = await announceComputeHost(config, await probe.describeHost(), events);
    try {
      await runWorkerUntilSignalled(config, { taskQueue: computeTaskQueue(host), activities: { ...probe, ...launch, ...cache, ...createConsoleActivities({ layout }) } }, `compute worker ${host}`);
    } finally {
      await presence.stop();
    }
  } finally {
    await events.close();
  }
}
