// Recording a server create and starting its launch. The request is appended first (the
// instance exists from then on), then workflow `launch-<id>` is started on the business
// id, so starting it twice — a retried start, another API process resuming — never runs
// two launches. If the start fails and no launch runs, the instance is recorded as
// failed at step `startWorkflow` instead of staying BUILD forever; if the process dies
// between the append and the start, the next API start resumes the launch.
import type { Client } from '@temporalio/client';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import type { InstanceEvent, InstanceRequest } from '../../domain/compute/instance.js';
import { instanceDecider, instanceStream } from '../../domain/compute/instance.js';
import type { EventMetadata, EventStore } from '../../eventstore/port.js';
import type { InstanceRecord } from '../../projections/instance-queries.js';
import type { ProjectionRunner } from '../../projections/runner.js';
import type { launchInstance } from '../../workflows/launch.js';
import { searchAttributes } from '../../workflows/search-attributes.js';
import { CONTROL_TASK_QUEUE } from '../../workflows/task-queues.js';
import { handleCommand } from '../handle-command.js';
import { READ_YOUR_WRITES_TIMEOUT_MS, TEMPORAL_CALL_TIMEOUT_MS } from '../timeouts.js';

export function launchWorkflowId(instanceId: string): string {
  return `launch-${instanceId}`;
}

export interface LauncherDependencies {
  events: EventStore;
  projections: ProjectionRunner;
  temporal: Client;
  taskQueue?: string;
  temporalTimeoutMs?: number;
  log?: (line: string) => void;
}

export class InstanceLauncher {
  constructor(private readonly deps: LauncherDependencies) {}

  private withDeadline<T>(call: () => Promise<T>): Promise<T> {
    return this.deps.temporal.connection.withDeadline(Date.now() + (this.deps.temporalTimeoutMs ?? TEMPORAL_CALL_TIMEOUT_MS), call);
  }

  /** Records the request and starts its launch; resolves once the read model shows the outcome. */
  async launch(request: InstanceRequest, metadata: EventMetadata): Promise<void> {
    const stream = instanceStream(request.instanceId);
    let { position } = await handleCommand(this.deps.events, instanceDecider, stream, { kind: 'request', request }, { metadata });
    try {
      await this.start(request);
    } catch (error) {
      if (!(await this.launchExists(request.instanceId))) position = await this.recordStartFailure(request, error, metadata);
    }
    await this.deps.projections.waitFor(position, READ_YOUR_WRITES_TIMEOUT_MS);
  }

  /** Starts the launches of instances still building whose workflow never started (a crash between append and start). */
  async resume(building: readonly InstanceRecord[]): Promise<void> {
    for (const { state } of building) {
      try {
        await this.start(state.request);
      } catch (error) {
        this.deps.log?.(`could not resume the launch of instance ${state.request.instanceId}: ${(error as Error).message}`);
        return;
      }
    }
  }

  /**
   * At most one launch per instance, ever: a running one is joined (USE_EXISTING), a
   * finished one is not started again (REJECT_DUPLICATE) — retrying a failed launch is an
   * operator's explicit act.
   */
  private async start(request: InstanceRequest): Promise<void> {
    try {
      await this.withDeadline(() =>
        this.deps.temporal.workflow.start<typeof launchInstance>('launchInstance', {
          taskQueue: this.deps.taskQueue ?? CONTROL_TASK_QUEUE,
          workflowId: launchWorkflowId(request.instanceId),
          workflowIdConflictPolicy: 'USE_EXISTING',
          workflowIdReusePolicy: 'REJECT_DUPLICATE',
          args: [request],
          typedSearchAttributes: [
            { key: searchAttributes.instanceId, value: request.instanceId },
            { key: searchAttributes.imageId, value: request.image.id },
            { key: searchAttributes.project, value: request.projectId },
            { key: searchAttributes.operation, value: 'launch' },
          ],
        }),
      );
    } catch (error) {
      if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
    }
  }

  /** Whether a launch workflow exists despite a failed start call (e.g. the answer was lost). */
  private async launchExists(instanceId: string): Promise<boolean> {
    try {
      await this.withDeadline(() => this.deps.temporal.workflow.getHandle(launchWorkflowId(instanceId)).describe());
      return true;
    } catch {
      return false;
    }
  }

  private async recordStartFailure(request: InstanceRequest, error: unknown, metadata: EventMetadata): Promise<number> {
    const message = `The launch workflow could not be started: ${error instanceof Error ? error.message : String(error)}`.slice(0, 4096);
    const event: Extract<InstanceEvent, { type: 'InstanceLaunchFailed.v1' }> = {
      type: 'InstanceLaunchFailed.v1',
      data: { code: 500, message, step: 'startWorkflow', host: null, attempt: 1, created: new Date().toISOString() },
    };
    this.deps.log?.(`instance ${request.instanceId}: ${message}`);
    const stream = instanceStream(request.instanceId);
    const { position } = await handleCommand(this.deps.events, instanceDecider, stream, { kind: 'record', event }, {
      metadata,
      idempotencyKey: `${launchWorkflowId(request.instanceId)}/startWorkflow`,
    });
    return position;
  }
}
