// A worker is ready when Temporal sees it polling its task queue.
import { Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { waitUntil } from './wait.js';

export type PollerKind = 'workflow' | 'activity';

export async function waitForPollers(
  address: string,
  namespace: string,
  taskQueue: string,
  kind: PollerKind,
  timeoutMs: number,
): Promise<void> {
  const connection = await Connection.connect({ address });
  try {
    await waitUntil(
      `a ${kind} worker polling ${taskQueue}`,
      async () => {
        const { pollers } = await connection.workflowService.describeTaskQueue({
          namespace,
          taskQueue: { name: taskQueue },
          taskQueueType:
            kind === 'workflow'
              ? temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW
              : temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY,
        });
        return (pollers ?? []).length > 0;
      },
      { timeoutMs, intervalMs: 250 },
    );
  } finally {
    await connection.close();
  }
}
