// Workflows that failed outright (a delete whose host never came back, a snapshot, an
// import …), found through Temporal's visibility by strata's search attributes; the cause,
// the failed step and its attempts come from the run's closing event. Failed launches are
// not among them: a launch ends with the instance in ERROR (see launch-failures.ts).
import type { Client, WorkflowExecutionInfo } from '@temporalio/client';
import type { temporal } from '@temporalio/proto';
import { searchAttributes } from '../../workflows/search-attributes.js';
import type { Failure } from './failure.js';

/** Newest first; older ones are in the Temporal UI. */
const MAX_LISTED = 100;
const FAILED = `ExecutionStatus = 'Failed' OR ExecutionStatus = 'TimedOut'`;

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;
type ProtoFailure = temporal.api.failure.v1.IFailure;

/** The failure and its causes, outermost first: a workflow may rethrow an activity's failure as is or wrap it. */
function chainOf(failure: ProtoFailure): ProtoFailure[] {
  const chain = [failure];
  for (let current = failure.cause; current; current = current.cause) chain.push(current);
  return chain;
}

/** The closing event's cause and, when an activity failed the run, which one and after how many attempts. */
function closingFailure(events: readonly HistoryEvent[]): Pick<Failure, 'cause' | 'step' | 'attempts'> {
  const closing = events.at(-1);
  const failure = closing?.workflowExecutionFailedEventAttributes?.failure;
  if (!failure) return { cause: closing?.workflowExecutionTimedOutEventAttributes ? 'The workflow timed out.' : 'The workflow failed.', step: null, attempts: null };
  const chain = chainOf(failure);
  const activity = chain.find((link) => link.activityFailureInfo)?.activityFailureInfo;
  const started = activity ? events.find((event) => Number(event.eventId) === Number(activity.startedEventId)) : undefined;
  return {
    cause: chain.at(-1)?.message || failure.message || 'The workflow failed.',
    step: activity?.activityType?.name ?? null,
    attempts: started?.activityTaskStartedEventAttributes?.attempt ?? null,
  };
}

async function failureOf(client: Client, info: WorkflowExecutionInfo, operation: string): Promise<Failure> {
  const history = await client.workflow.getHandle(info.workflowId, info.runId).fetchHistory();
  const attributes = info.typedSearchAttributes;
  return {
    operation,
    instance_id: attributes.get(searchAttributes.instanceId) ?? null,
    project_id: attributes.get(searchAttributes.project) ?? null,
    workflow_id: info.workflowId,
    run_id: info.runId,
    ...closingFailure(history.events ?? []),
    code: null,
    host: attributes.get(searchAttributes.host) ?? null,
    failed_at: info.closeTime?.toISOString() ?? null,
    awaiting_decision: false,
    decision_until: null,
  };
}

export async function workflowFailures(client: Client): Promise<Failure[]> {
  const failures: Failure[] = [];
  for await (const info of client.workflow.list({ query: FAILED, pageSize: MAX_LISTED })) {
    const operation = info.typedSearchAttributes.get(searchAttributes.operation);
    // Only strata's own workflows carry an operation; anything else in the namespace is not ours to report.
    if (operation === undefined) continue;
    failures.push(await failureOf(client, info, operation));
    if (failures.length >= MAX_LISTED) break;
  }
  return failures;
}
