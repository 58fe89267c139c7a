// Failed launches as operators see them: every instance in ERROR with its fault (cause,
// step, host, attempt), whether its launch still waits for a decision, and the workflow
// run that recorded the fault (read from that event's metadata, for the Temporal UI link).
import type { InstanceFault } from '../../domain/compute/instance.js';
import { instanceStream } from '../../domain/compute/instance.js';
import type { EventStore } from '../../eventstore/port.js';
import type { InstanceQueries } from '../../projections/instance-queries.js';
import type { Failure } from './failure.js';

/** More failed instances than this at once is an outage: the list says so by its length. */
const MAX_LISTED = 1000;

/** The run whose InstanceLaunchFailed holds the current fault; null for a launch that never started. */
async function failedRun(events: EventStore, instanceId: string): Promise<{ workflowId: string | null; runId: string | null }> {
  const recent = await events.readStream(instanceStream(instanceId), { direction: 'backwards', maxCount: 50 });
  const failed = recent.find((event) => event.type === 'InstanceLaunchFailed.v1');
  return { workflowId: failed?.metadata.workflowId ?? null, runId: failed?.metadata.runId ?? null };
}

export async function launchFailures(instances: InstanceQueries, events: EventStore, now: Date): Promise<Failure[]> {
  const failed = instances.list({ projectId: null, namePattern: null, vmStates: ['error'], imageId: null, flavorId: null, host: null, changesSince: null, marker: null, limit: MAX_LISTED }) ?? [];
  const failures: Failure[] = [];
  for (const { id, state } of failed) {
    const fault: InstanceFault | null = state.fault;
    // An instance an admin set to ERROR by hand has no fault to show.
    if (!fault) continue;
    const run = await failedRun(events, id);
    const decisionUntil = fault.decisionUntil ?? null;
    failures.push({
      operation: 'launch',
      instance_id: id,
      project_id: state.request.projectId,
      workflow_id: run.workflowId,
      run_id: run.runId,
      cause: fault.message,
      code: fault.code,
      step: fault.step,
      host: fault.host,
      attempts: fault.attempt,
      failed_at: fault.created,
      awaiting_decision: decisionUntil !== null && Date.parse(decisionUntil) > now.getTime(),
      decision_until: decisionUntil,
    });
  }
  return failures;
}
