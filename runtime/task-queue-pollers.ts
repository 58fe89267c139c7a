// A worker is ready when Temporal sees it polling its task queue.
import { Connection } from '@temporalio/client';
import proto from '@temporalio/proto';
import { waitUntil } from './wait.js';

// The proto package is CommonJS: its namespaces come through the default export.
const { TaskQueueType } = proto.temporal.api.enums.v1;

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
          taskQueueType: kind === 'workflow' ? TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW : TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY,
        });
        return (pollers ?? []).length > 0;
      },
      { timeoutMs, intervalMs: 250 },
    );
  } finally {
    await connection.close();
  }
}
