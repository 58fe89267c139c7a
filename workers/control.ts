// The control worker: runs every workflow (launch, snapshot, delete, import, …) and the
// cluster-wide activities (scheduling, image service calls) on the control task queue.
// Its activities share one connection to the event log: the scheduler's host view's.
import { fileURLToPath } from 'node:url';
import { createDeleteActivities } from '../activities/delete/delete-activities.js';
import { imageImportActivitiesFor } from '../activities/image-import-wiring.js';
import { snapshotControlActivitiesFor } from '../activities/snapshot/wiring.js';
import { createSchedulingActivities } from '../activities/scheduling/scheduling-activities.js';
import { openHostView } from '../application/hosts/host-view.js';
import type { StrataConfig } from '../config/schema.js';
import { CONTROL_TASK_QUEUE } from '../workflows/task-queues.js';
import { runWorkerUntilSignalled } from './run-worker.js';

export const workflowsPath = fileURLToPath(new URL('../workflows/index.ts', import.meta.url));

export async function runControlWorker(config: StrataConfig): Promise<void> {
  const view = await openHostView(config);
  try {
    const activities = {
      ...createSchedulingActivities({ ...view, failedBootDecisionSeconds: config.compute.failedBootDecisionSeconds }),
      ...createDeleteActivities({ events: view.events }),
      ...(await imageImportActivitiesFor(config, view.events)),
      ...(await snapshotControlActivitiesFor(config, view.events)),
    };
    await runWorkerUntilSignalled(config, { taskQueue: CONTROL_TASK_QUEUE, workflowsPath, activities }, 'control worker');
  } finally {
    await view.close();
  }
}
