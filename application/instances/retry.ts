// Records an operator's retry of a failed launch on the instance's stream, with the
// operator (not the workflow) as the event's actor, so the history shows who retried.
// The decider refuses an instance that is no longer in ERROR (e.g. reset by an admin
// since), which the launch reports back to the operator instead of retrying.
import type { LaunchStep, OperatorRetry } from '../../activities/launch/contract.js';
import type { EventMetadata, EventStore } from '../../eventstore/port.js';
import { recordInstanceStep } from './record-step.js';

export async function recordRetryRequested(events: EventStore, step: LaunchStep, retry: OperatorRetry, workflowMetadata: EventMetadata): Promise<number> {
  const event = { type: 'InstanceRetryRequested.v1', data: { attempt: step.attempt, host: retry.host, image: retry.image, requestedAt: new Date().toISOString() } } as const;
  return recordInstanceStep(events, step, event, { ...workflowMetadata, actor: retry.actor, requestId: retry.requestId });
}
