// subscribeAll over KurrentDB's own catch-up subscription: the server pushes live events,
// so there is nothing to poll. System events and events outside the filter are skipped.
import { excludeSystemEvents, START, streamNameFilter } from '@kurrent/kurrentdb-client';
import type { Filter, KurrentDBClient, Position } from '@kurrent/kurrentdb-client';
import { matchesFilter } from '../filter.js';
import type { RecordedEvent, SubscribeAllOptions, Subscription } from '../port.js';
import { toRecordedEvent } from './records.js';

export function positionOf(after: number): Position | typeof START {
  return after > 0 ? { commit: BigInt(after), prepare: BigInt(after) } : START;
}

/** The narrowest filter the server can apply; the exact one is applied here. */
function serverFilter(options: SubscribeAllOptions): Filter {
  const prefixes = options.filter?.streamPrefixes;
  return prefixes && prefixes.length > 0 ? streamNameFilter({ prefixes }) : excludeSystemEvents();
}

export function kurrentSubscription(client: KurrentDBClient, options: SubscribeAllOptions, onClose: () => void): Subscription {
  const after = options.after ?? 0;
  const native = client.subscribeToAll({ fromPosition: positionOf(after), filter: serverFilter(options) });
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    onClose();
    await native.unsubscribe();
  };

  async function* deliver(): AsyncGenerator<RecordedEvent> {
    let remaining = options.maxCount ?? Number.POSITIVE_INFINITY;
    try {
      for await (const resolved of native) {
        const event = resolved.event;
        if (!event || event.type.startsWith('$') || event.streamId.startsWith('$')) continue;
        const recorded = toRecordedEvent(event);
        if (recorded.position <= after || !matchesFilter(options.filter, recorded)) continue;
        yield recorded;
        remaining -= 1;
        if (remaining <= 0) return;
      }
    } finally {
      await close();
    }
  }

  const iterator = deliver();
  return {
    [Symbol.asyncIterator]: () => iterator,
    close,
  };
}
