// A storage worker: the activities that create, export and delete this node's volumes,
// on the node's own task queue `storage.<node>`. If the event log records exports on this
// node, tgtd is started (or adopted) and they are restored before polling; otherwise
// tgtd starts with the first export. tgtd outlives the worker, as the exports must; while
// the worker runs it replaces a tgtd that died and restores its exports.
import type { StrataConfig } from '../config/schema.js';
import { storageNodeParts } from '../activities/storage/wiring.js';
import { volumesOfNode } from '../application/volumes/node-volumes.js';
import { strataEventSchemas } from '../domain/event-registry.js';
import { openEventStore } from '../eventstore/open.js';
import { storageTaskQueue } from '../workflows/task-queues.js';
import { runWorkerUntilSignalled } from './run-worker.js';

/** How soon a tgtd that died is replaced: an attached guest's I/O waits (and retries) that long. */
const TGTD_WATCH_INTERVAL_MS = 1_000;

export async function runStorageWorker(config: StrataConfig): Promise<void> {
  const { node } = config.storage;
  const events = openEventStore(config, strataEventSchemas());
  try {
    const { activities, tgtd } = storageNodeParts(config, events);
    if ((await volumesOfNode(events, node)).some((volume) => volume.exports.length > 0)) await tgtd.ensure();
    const stopWatching = tgtd.watch(TGTD_WATCH_INTERVAL_MS, console.warn);
    try {
      await runWorkerUntilSignalled(config, { taskQueue: storageTaskQueue(node), activities }, `storage worker ${node}`);
    } finally {
      stopWatching();
    }
  } finally {
    await events.close();
  }
}
