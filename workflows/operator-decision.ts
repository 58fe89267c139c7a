// The operator's side of a failed launch. While the launch waits, an operator may retry it
// (the `retry` update: its validator refuses at once when the launch is not waiting, so a
// caller gets a clear "not awaiting a decision" rather than a queued request) or delete
// it (the delete workflow cancels the launch, which ends the wait: nothing is left to
// undo). When the window closes the launch ends and the instance stays in ERROR.
import { ApplicationFailure, condition, defineUpdate, setHandler } from '@temporalio/workflow';
import type { OperatorRetry } from '../activities/launch/contract.js';
import { LaunchFailure } from '../activities/launch/contract.js';

export interface RetryAccepted {
  /** The attempt number the retry runs as; earlier attempts' events stay in the history. */
  attempt: number;
}

export const retryUpdate = defineUpdate<RetryAccepted, [OperatorRetry]>('retry');

/** Launches started before failed launches waited for an operator ended at once: their histories replay without the wait. */
export const FAILED_LAUNCHES_WAIT = 'failed-launches-wait-for-an-operator';

type Answer = RetryAccepted | { refused: string };

export interface OperatorDecisions {
  /** The next retry, or null once `deadline` (workflow time, ms) passes without one. */
  next(deadline: number): Promise<OperatorRetry | null>;
  /** Answers the retry `next` gave: accepted as `attempt`, or refused with the reason. */
  answer(answer: Answer): void;
}

export function operatorDecisions(instanceId: string): OperatorDecisions {
  let awaiting = false;
  let pending: OperatorRetry | null = null;
  let answered: Answer | null = null;
  const answer = (): Answer | null => answered;
  setHandler(
    retryUpdate,
    async (retry) => {
      answered = null;
      pending = retry;
      awaiting = false;
      await condition(() => answer() !== null);
      const given = answer() as Answer;
      if ('refused' in given) throw ApplicationFailure.nonRetryable(given.refused, LaunchFailure.retryRefused);
      return given;
    },
    {
      validator: (retry: OperatorRetry) => {
        if (!awaiting) throw new Error(`Instance ${instanceId} is not awaiting an operator decision: only a failed launch still waiting can be retried.`);
        if (retry.host === '') throw new Error('The host a retry is forced to must not be empty.');
      },
    },
  );
  return {
    async next(deadline) {
      const remaining = deadline - Date.now();
      if (remaining <= 0) return null;
      awaiting = true;
      await condition(() => pending !== null, remaining);
      awaiting = false;
      // A retry that arrived with the window's last tick still counts: its caller was told it was accepted for validation.
      const retry = pending;
      pending = null;
      return retry;
    },
    answer(given) {
      answered = given;
    },
  };
}
