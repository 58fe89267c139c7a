// A storage worker: the activities that create and export this node's volumes, on the
// node's own task queue `storage.<node>`.
import { join } from 'node:path';
import { dataPaths } from '../config/paths.js';
import type { StrataConfig } from '../config/schema.js';
import { createStorageProbeActivities } from '../activities/storage-probe.js';
import { storageTaskQueue } from '../workflows/task-queues.js';
import { runWorkerUntilSignalled } from './run-worker.js';

export async function runStorageWorker(config: StrataConfig): Promise<void> {
  const { node, address } = config.storage;
  const activities = createStorageProbeActivities({ node, address, volumesDir: join(dataPaths(config).volumes, node) });
  await runWorkerUntilSignalled(config, { taskQueue: storageTaskQueue(node), activities }, `storage worker ${node}`);
}
