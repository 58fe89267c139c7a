// The control queue's activities for the delete workflow (contract.ts): end the launch,
// read what is left to undo, record the host step and the end, leave the server group.
import { Context } from '@temporalio/activity';
import { WorkflowNotFoundError } from '@temporalio/common';
import { handleCommand } from '../../application/handle-command.js';
import { launchWorkflowId } from '../../application/instances/launcher.js';
import { recordInstanceStep } from '../../application/instances/record-step.js';
import { fold } from '../../domain/decider.js';
import type { InstanceEvent } from '../../domain/compute/instance.js';
import { instanceDecider, instanceStream } from '../../domain/compute/instance.js';
import { serverGroupDecider, serverGroupStream } from '../../domain/compute/server-group.js';
import type { EventStore } from '../../eventstore/port.js';
import { activityMetadata } from '../event-metadata.js';
import { heartbeating } from '../heartbeat.js';
import type { DeleteActivities } from './contract.js';

/** Cancels a workflow if it still runs and returns once it has ended; its compensation runs first. */
async function endWorkflow(context: Context, workflowId: string): Promise<void> {
  const workflow = context.client.workflow.getHandle(workflowId);
  try {
    if ((await workflow.describe()).status.name !== 'RUNNING') return;
  } catch (error) {
    // A workflow that never started (a launch recorded as failed at startWorkflow).
    if (error instanceof WorkflowNotFoundError) return;
    throw error;
  }
  // Asking twice (a retried activity) is harmless: Temporal keeps the first request.
  await workflow.cancel();
  // It ends cancelled (or, if its last step won the race, done): either way it has ended.
  await heartbeating(() => Promise.race([workflow.result().catch(() => undefined), context.cancelled]));
}

export function createDeleteActivities({ events }: { events: EventStore }): DeleteActivities {
  const instanceState = async (instanceId: string) => fold(instanceDecider, (await events.readStream(instanceStream(instanceId))) as unknown as InstanceEvent[]);

  return {
    async cancelLaunch(step) {
      const context = Context.current();
      await endWorkflow(context, launchWorkflowId(step.instanceId));
      // A snapshot running when the delete began is cancelled too: it deletes its partial image (docs/architecture.md, "Snapshot").
      const { snapshot } = await instanceState(step.instanceId);
      if (snapshot) await endWorkflow(context, snapshot.workflowId);
    },

    async instanceToDelete(step) {
      const state = await instanceState(step.instanceId);
      return { host: state.host, attempt: Math.max(state.attempt, 1), groupId: state.request?.groupId ?? null, volumes: state.volumes ?? [] };
    },

    async recordInstanceDestroyed(step, host) {
      await recordInstanceStep(events, step, { type: 'InstanceDestroyed.v1', data: { host } }, activityMetadata());
    },

    async leaveServerGroup(step, groupId) {
      await handleCommand(events, serverGroupDecider, serverGroupStream(groupId), { kind: 'remove', instanceId: step.instanceId }, { metadata: activityMetadata(), idempotencyKey: step.key });
    },

    async recordInstanceDeleted(step) {
      await recordInstanceStep(events, step, { type: 'InstanceDeleted.v1', data: { terminatedAt: new Date().toISOString() } }, activityMetadata());
    },
  };
}
