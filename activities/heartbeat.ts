// Heartbeats while an activity's work runs. A workflow that gives the activity a heartbeat
// timeout then notices a worker killed mid-step within that timeout, instead of waiting
// out the whole start-to-close timeout before the retry; and the activity learns of a
// cancellation (its context's signal) at the next heartbeat.
import { Context } from '@temporalio/activity';

const HEARTBEAT_INTERVAL_MS = 5_000;

export async function heartbeating<T>(work: (context: Context) => Promise<T>, intervalMs = HEARTBEAT_INTERVAL_MS): Promise<T> {
  const context = Context.current();
  const beats = setInterval(() => context.heartbeat(), intervalMs);
  try {
    return await work(context);
  } finally {
    clearInterval(beats);
  }
}
