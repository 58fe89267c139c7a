// Bounded polling: every wait in strata has a deadline and says what it waited for.
import { setTimeout as sleep } from 'node:timers/promises';

export interface WaitOptions {
  timeoutMs: number;
  intervalMs?: number;
  /** Ends the wait early with the signal's reason (e.g. a cancelled activity). */
  signal?: AbortSignal;
}

export async function waitUntil(what: string, probe: () => Promise<boolean>, { timeoutMs, intervalMs = 100, signal }: WaitOptions): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    signal?.throwIfAborted();
    try {
      if (await probe()) return;
    } catch (error) {
      lastError = error;
    }
    await sleep(intervalMs, undefined, { signal });
  }
  const cause = lastError instanceof Error ? `: ${lastError.message}` : '';
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${cause}`);
}
