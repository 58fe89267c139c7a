// The control worker: runs every workflow (launch, snapshot, delete, import, …) and the
// cluster-wide activities (scheduling, image service calls) on the control task queue.
import { fileURLToPath } from 'node:url';
import { deleteActivitiesFor } from '../activities/delete/wiring.js';
import { imageImportActivitiesFor } from '../activities/image-import-wiring.js';
import { schedulingActivitiesFor } from '../activities/scheduling/wiring.js';
import type { StrataConfig } from '../config/schema.js';
import { CONTROL_TASK_QUEUE } from '../workflows/task-queues.js';
import { runWorkerUntilSignalled } from './run-worker.js';

export const workflowsPath = fileURLToPath(new URL('../workflows/index.ts', import.meta.url));

export async function runControlWorker(config: StrataConfig): Promise<void> {
  const scheduling = await schedulingActivitiesFor(config);
  const deletes = deleteActivitiesFor(config);
  try {
    const activities = { ...(await imageImportActivitiesFor(config)), ...scheduling.activities, ...deletes.activities };
    await runWorkerUntilSignalled(config, { taskQueue: CONTROL_TASK_QUEUE, workflowsPath, activities }, 'control worker');
  } finally {
    await deletes.close();
    await scheduling.close();
  }
}
