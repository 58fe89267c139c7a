// Keeps this node's tgtd running for the activities that need it. tgtd is started (or
// adopted) on first use rather than at worker start, so a node that exports nothing
// never binds its iSCSI port; and whenever the keeper had to find tgtd again — a new
// worker process, or tgtd gone and started afresh — it restores every export the event
// log records, so a restart of either loses no attachment.
import type { TgtdHandle, TgtdOptions } from '../../storage/tgt/tgtd-process.js';
import { adoptTgtd, isTgtd, startTgtd } from '../../storage/tgt/tgtd-process.js';

export interface TgtdKeeper {
  ensure(): Promise<TgtdHandle>;
  /** The tgtd running for this node, if any, without starting one. */
  running(): Promise<TgtdHandle | undefined>;
  /** The handle last ensured, if any (for stopping it). */
  current(): TgtdHandle | undefined;
  /**
   * Checks every intervalMs that the tgtd this keeper ran is still there, and starts and
   * restores a new one when it is not: attached hosts' initiators reconnect to it.
   * Returns the function that stops watching.
   */
  watch(intervalMs: number, log: (line: string) => void): () => void;
}

export function keepTgtd(options: TgtdOptions, restore: (tgtd: TgtdHandle) => Promise<void>): TgtdKeeper {
  let known: TgtdHandle | undefined;
  let pending: Promise<TgtdHandle> | undefined;

  const findAndRestore = async (): Promise<TgtdHandle> => {
    const tgtd = (await adoptTgtd(options)) ?? (await startTgtd(options));
    await restore(tgtd);
    known = tgtd;
    return tgtd;
  };

  return {
    ensure() {
      if (known && isTgtd(known)) return Promise.resolve(known);
      // Single flight: concurrent activities share one start and one restore.
      pending ??= findAndRestore().finally(() => {
        pending = undefined;
      });
      return pending;
    },
    running: async () => (known && isTgtd(known) ? known : adoptTgtd(options)),
    current: () => known,
    watch(intervalMs, log) {
      const timer = setInterval(() => {
        if (!known || isTgtd(known) || pending) return;
        log(`tgtd pid ${known.pid} is gone; starting another and restoring the exports`);
        this.ensure().catch((error: unknown) => log(`tgtd could not be restarted: ${(error as Error).message}`));
      }, intervalMs);
      timer.unref();
      return () => clearInterval(timer);
    },
  };
}
