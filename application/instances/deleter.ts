// Recording a server delete and starting its workflow. The request is appended first
// (task_state deleting from then on), then workflow `delete-<id>` is started on the
// business id: a second DELETE while one runs joins it (USE_EXISTING) and records nothing
// (the decider answers a delete of a deleting instance with no event), and one that
// arrives just after the delete finished does not run it again. If the start fails, the
// DELETE fails too and the instance stays deleting; asking again starts it, as it
// restarts a delete that failed (a host down for longer than the workflow waits).
import type { Client } from '@temporalio/client';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { instanceDecider, instanceStream } from '../../domain/compute/instance.js';
import type { EventMetadata, EventStore } from '../../eventstore/port.js';
import type { ProjectionRunner } from '../../projections/runner.js';
import type { deleteInstance } from '../../workflows/delete.js';
import { searchAttributes } from '../../workflows/search-attributes.js';
import { CONTROL_TASK_QUEUE } from '../../workflows/task-queues.js';
import { handleCommand } from '../handle-command.js';
import { READ_YOUR_WRITES_TIMEOUT_MS, TEMPORAL_CALL_TIMEOUT_MS } from '../timeouts.js';

export function deleteWorkflowId(instanceId: string): string {
  return `delete-${instanceId}`;
}

export interface DeleterDependencies {
  events: EventStore;
  projections: ProjectionRunner;
  temporal: Client;
  taskQueue?: string;
}

export class InstanceDeleter {
  constructor(private readonly deps: DeleterDependencies) {}

  /** Records the delete and starts (or joins) its workflow; resolves once the read model shows task_state deleting. */
  async delete(instanceId: string, projectId: string, metadata: EventMetadata): Promise<void> {
    const event = { type: 'InstanceDeleting.v1', data: { requestedAt: metadata.timestamp } } as const;
    const { position } = await handleCommand(this.deps.events, instanceDecider, instanceStream(instanceId), { kind: 'record', event }, { metadata });
    const { temporal } = this.deps;
    try {
      await temporal.connection.withDeadline(Date.now() + TEMPORAL_CALL_TIMEOUT_MS, () =>
        temporal.workflow.start<typeof deleteInstance>('deleteInstance', {
          taskQueue: this.deps.taskQueue ?? CONTROL_TASK_QUEUE,
          workflowId: deleteWorkflowId(instanceId),
          workflowIdConflictPolicy: 'USE_EXISTING',
          workflowIdReusePolicy: 'ALLOW_DUPLICATE_FAILED_ONLY',
          args: [instanceId],
          typedSearchAttributes: [
            { key: searchAttributes.instanceId, value: instanceId },
            { key: searchAttributes.project, value: projectId },
            { key: searchAttributes.operation, value: 'delete' },
          ],
        }),
      );
    } catch (error) {
      if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
    }
    if (position > 0) await this.deps.projections.waitFor(position, READ_YOUR_WRITES_TIMEOUT_MS);
  }
}
