// A compute worker: the activities that touch this host's disks and QEMU, on the host's
// own task queue `compute.<host>`.
import { join } from 'node:path';
import { computeHostName, dataPaths } from '../config/paths.js';
import type { StrataConfig } from '../config/schema.js';
import { createHostProbeActivities } from '../activities/host-probe.js';
import { computeTaskQueue } from '../workflows/task-queues.js';
import { runWorkerUntilSignalled } from './run-worker.js';

export async function runComputeWorker(config: StrataConfig): Promise<void> {
  const host = computeHostName(config);
  const activities = createHostProbeActivities({
    host,
    availabilityZone: config.compute.availabilityZone,
    stateDir: join(dataPaths(config).hosts, host),
    accelerator: config.compute.accelerator,
    ovmf: { code: config.compute.ovmfCode, vars: config.compute.ovmfVars },
  });
  await runWorkerUntilSignalled(config, { taskQueue: computeTaskQueue(host), activities }, `compute worker ${host}`);
}
