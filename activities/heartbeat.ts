// Heartbeats while an activity's work runs. A workflow that gives the activity a heartbeat
// timeout then notices a worker killed mid-step within that timeout, instead of waiting
// out the whole start-to-close timeout before the retry.
import { Context } from '@temporalio/activity';

const HEARTBEAT_INTERVAL_MS = 5_000;

export async function heartbeating<T>(work: () => Promise<T>): Promise<T> {
  const context = Context.current();
  const beats = setInterval(() => context.heartbeat(), HEARTBEAT_INTERVAL_MS);
  try {
    return await work();
  } finally {
    clearInterval(beats);
  }
}
