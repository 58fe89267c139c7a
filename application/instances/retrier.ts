// An operator's retry of a failed launch, as the API asks for it: the instance must be in
// ERROR, the image is read again (a fixed image is what the retry boots), and the launch
// workflow's `retry` update carries the operator to the workflow, which records the retry
// with them as the actor. The update's validator refuses a launch that is not waiting for
// a decision (its window closed, or it was started before launches waited): a conflict,
// with nothing recorded.
import type { Client } from '@temporalio/client';
import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { instanceStream } from '../../domain/compute/instance.js';
import { DomainError } from '../../domain/decider.js';
import type { EventMetadata, EventStore } from '../../eventstore/port.js';
import type { ImageQueries } from '../../projections/image-queries.js';
import type { InstanceRecord } from '../../projections/instance-queries.js';
import type { ProjectionRunner } from '../../projections/runner.js';
import type { RetryAccepted } from '../../workflows/operator-decision.js';
import { retryUpdate } from '../../workflows/operator-decision.js';
import { imageSnapshotOf } from './launch-request.js';
import { launchWorkflowId } from './launcher.js';
import { READ_YOUR_WRITES_TIMEOUT_MS } from '../timeouts.js';

/** Bounds the update: its handler returns once the workflow recorded the retry (one activity). */
const UPDATE_TIMEOUT_MS = 30_000;

export interface RetrierDependencies {
  events: EventStore;
  projections: ProjectionRunner;
  temporal: Client;
  images: ImageQueries;
}

/** The innermost message: an update failure wraps the validator's or handler's error. */
function causeOf(error: Error): string {
  let current: Error = error;
  while (current.cause instanceof Error) current = current.cause;
  return current.message;
}

export class InstanceRetrier {
  constructor(private readonly deps: RetrierDependencies) {}

  /** Retries the instance's failed launch, on `host` when given; resolves once the read model shows the retry. */
  async retry(instance: InstanceRecord, host: string | null, metadata: EventMetadata): Promise<RetryAccepted> {
    const { state } = instance;
    if (state.vmState !== 'error' || state.taskState === 'deleting') {
      throw new DomainError('conflict', `Cannot retry instance ${instance.id} while it is ${state.vmState ?? 'unknown'}${state.taskState ? ` (${state.taskState})` : ''}: only a failed launch can be retried.`);
    }
    const current = this.deps.images.image(state.request.image.id);
    if (!current) throw new DomainError('conflict', `Cannot retry instance ${instance.id}: its image ${state.request.image.id} no longer exists.`);
    const image = imageSnapshotOf(current);
    const { temporal } = this.deps;
    let accepted: RetryAccepted;
    try {
      accepted = await temporal.connection.withDeadline(Date.now() + UPDATE_TIMEOUT_MS, () =>
        temporal.workflow.getHandle(launchWorkflowId(instance.id)).executeUpdate(retryUpdate, { args: [{ host, image, actor: metadata.actor, requestId: metadata.requestId }] }),
      );
    } catch (error) {
      if (error instanceof WorkflowUpdateFailedError) throw new DomainError('conflict', causeOf(error));
      if (error instanceof WorkflowNotFoundError) throw new DomainError('conflict', `Instance ${instance.id} is not awaiting an operator decision: its launch has ended.`);
      throw error;
    }
    const recorded = await this.deps.events.readStream(instanceStream(instance.id));
    const retried = recorded.find((event) => event.type === 'InstanceRetryRequested.v1' && (event.data as { attempt: number }).attempt === accepted.attempt);
    if (retried) await this.deps.projections.waitFor(retried.position, READ_YOUR_WRITES_TIMEOUT_MS);
    return accepted;
  }
}
