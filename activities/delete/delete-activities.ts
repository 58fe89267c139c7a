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
import type { DeleteActivities } from './contract.js';

/** Often enough for the workflow's heartbeat timeout to notice a dead worker within seconds. */
const HEARTBEAT_INTERVAL_MS = 5_000;

export function createDeleteActivities({ events }: { events: EventStore }): DeleteActivities {
  return {
    async cancelLaunch(step) {
      const context = Context.current();
      const launch = context.client.workflow.getHandle(launchWorkflowId(step.instanceId));
      try {
        if ((await launch.describe()).status.name !== 'RUNNING') return;
      } catch (error) {
        // An instance whose launch never started (recorded as failed at startWorkflow).
        if (error instanceof WorkflowNotFoundError) return;
        throw error;
      }
      // Asking twice (a retried activity) is harmless: Temporal keeps the first request.
      await launch.cancel();
      const heartbeats = setInterval(() => context.heartbeat(), HEARTBEAT_INTERVAL_MS);
      try {
        // The launch ends cancelled (or, if its last step won the race, done): either way it has ended.
        await Promise.race([launch.result().catch(() => undefined), context.cancelled]);
      } finally {
        clearInterval(heartbeats);
      }
    },

    async instanceToDelete(step) {
      const state = fold(instanceDecider, (await events.readStream(instanceStream(step.instanceId))) as unknown as InstanceEvent[]);
      return { host: state.host, attempt: Math.max(state.attempt, 1), groupId: state.request?.groupId ?? null };
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
