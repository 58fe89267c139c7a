// Which events a subscription delivers: by stream prefix and/or event type (both must hold).
import type { RecordedEvent, SubscriptionFilter } from './port.js';

export function matchesFilter(filter: SubscriptionFilter | undefined, event: Pick<RecordedEvent, 'stream' | 'type'>): boolean {
  if (!filter) return true;
  const { streamPrefixes, eventTypes } = filter;
  if (streamPrefixes && !streamPrefixes.some((prefix) => event.stream.startsWith(prefix))) return false;
  if (eventTypes && !eventTypes.includes(event.type)) return false;
  return true;
}
