// Event metadata for what an activity records: which workflow, run and activity did it.
import { Context } from '@temporalio/activity';
import type { EventMetadata } from '../eventstore/port.js';

export function activityMetadata(): EventMetadata {
  const { info } = Context.current();
  const execution = info.workflowExecution;
  return {
    actor: null,
    requestId: null,
    correlationId: execution?.workflowId ?? null,
    causationId: null,
    workflowId: execution?.workflowId ?? null,
    runId: execution?.runId ?? null,
    activity: info.activityType,
    timestamp: new Date().toISOString(),
  };
}
