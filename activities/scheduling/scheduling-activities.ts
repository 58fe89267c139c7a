// The control queue's scheduling activities for the launch workflow: place the instance
// on a host, give a claim back, record the launch's failure. Each records its events
// itself with ids derived from the step's key, so a retried activity never records twice.
import { ApplicationFailure } from '@temporalio/activity';
import { placeInstance, NoValidHostError } from '../../application/hosts/place-instance.js';
import type { HostSource } from '../../application/hosts/host-view.js';
import { releaseInstanceClaim } from '../../application/hosts/release-claim.js';
import { recordInstanceStep } from '../../application/instances/record-step.js';
import { recordRetryRequested } from '../../application/instances/retry.js';
import { DomainError } from '../../domain/decider.js';
import { instanceEventSchemas } from '../../domain/compute/instance.js';
import { truncateFaultMessage } from '../../domain/compute/scheduler.js';
import type { EventStore } from '../../eventstore/port.js';
import { activityMetadata } from '../event-metadata.js';
import type { SchedulingActivities } from '../launch/contract.js';
import { LaunchFailure } from '../launch/contract.js';

export interface SchedulingDependencies {
  events: EventStore;
  hosts: HostSource;
  /** How long a failed launch waits for an operator's decision (config compute.failedBootDecisionSeconds); 0 when absent. */
  failedBootDecisionSeconds?: number;
}

export function createSchedulingActivities({ events, hosts, failedBootDecisionSeconds = 0 }: SchedulingDependencies): SchedulingActivities {
  return {
    async scheduleInstance(step, request, excludedHosts) {
      // A workflow started before a field existed passes a request without it: the schema fills the default.
      const current = instanceEventSchemas['InstanceRequested.v1'].parse(request);
      try {
        return await placeInstance({ events, hosts, now: () => new Date() }, step, current, excludedHosts, activityMetadata());
      } catch (error) {
        if (error instanceof NoValidHostError) throw ApplicationFailure.nonRetryable(error.message, LaunchFailure.noValidHost);
        throw error;
      }
    },

    async releaseClaim(step, host) {
      await releaseInstanceClaim(events, step, host, activityMetadata());
    },

    async recordLaunchFailure(step, fault) {
      const created = new Date();
      const decisionUntil = failedBootDecisionSeconds > 0 ? new Date(created.getTime() + failedBootDecisionSeconds * 1000).toISOString() : null;
      const data = { ...fault, message: truncateFaultMessage(fault.message), attempt: step.attempt, created: created.toISOString(), decisionUntil };
      await recordInstanceStep(events, step, { type: 'InstanceLaunchFailed.v1', data }, activityMetadata());
      return { decisionSeconds: failedBootDecisionSeconds };
    },

    async recordRetryRequested(step, retry) {
      try {
        await recordRetryRequested(events, step, retry, activityMetadata());
      } catch (error) {
        if (error instanceof DomainError) throw ApplicationFailure.nonRetryable(error.message, LaunchFailure.retryRefused);
        throw error;
      }
    },
  };
}
