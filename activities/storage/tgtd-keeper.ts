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
  };
}
