// subscribeAll for adapters without a native push: page through the log from a position,
// then wait on a ChangeSignal for more. Delivery is in log order, each event once.
import { matchesFilter } from './filter.js';
import type { ChangeSignal } from './change-signal.js';
import type { ReadAllOptions, RecordedEvent, SubscribeAllOptions, Subscription } from './port.js';

/** Big enough to amortise a query, small enough not to hold many events in memory. */
const PAGE_SIZE = 512;

export interface LogSource {
  readAll(options: Required<ReadAllOptions>): Promise<RecordedEvent[]>;
  changes: ChangeSignal;
}

/** `maxCount`, when given, ends the subscription after that many delivered events. */
export function catchUpSubscription(source: LogSource, options: SubscribeAllOptions, onClose: () => void): Subscription {
  const closing = new AbortController();

  async function* deliver(): AsyncGenerator<RecordedEvent> {
    let after = options.after ?? 0;
    let remaining = options.maxCount ?? Number.POSITIVE_INFINITY;
    try {
      while (!closing.signal.aborted && remaining > 0) {
        const seen = source.changes.current;
        const page = await source.readAll({ after, maxCount: PAGE_SIZE });
        for (const event of page) {
          if (closing.signal.aborted || remaining <= 0) return;
          after = event.position;
          if (!matchesFilter(options.filter, event)) continue;
          remaining -= 1;
          yield event;
        }
        if (page.length < PAGE_SIZE) await source.changes.waitForChange(seen, closing.signal);
      }
    } finally {
      await close();
    }
  }

  const iterator = deliver();
  const close = (): Promise<void> => {
    if (!closing.signal.aborted) {
      closing.abort();
      onClose();
    }
    return Promise.resolve();
  };
  return {
    [Symbol.asyncIterator]: () => ({
      next: () => iterator.next(),
      return: async () => {
        await close();
        return iterator.return(undefined);
      },
    }),
    close,
  };
}
