// Folding a run of log events into one projection's tables: the loop shared by the live
// runner, its catch-up and a rebuild, so all three skip, filter and fail the same way.
import { matchesFilter } from '../eventstore/filter.js';
import type { RecordedEvent } from '../eventstore/port.js';
import type { Projection } from './projection.js';

/** A handler threw: names the projection and the event so an operator can find both. */
export class ProjectionHandlerError extends Error {
  override readonly name = 'ProjectionHandlerError';
  constructor(
    readonly projection: string,
    readonly event: Pick<RecordedEvent, 'id' | 'stream' | 'revision' | 'position' | 'type'>,
    cause: unknown,
  ) {
    super(
      `projection ${projection} failed on ${event.type} ${event.id} (stream ${event.stream}@${event.revision}, ` +
        `position ${event.position}): ${cause instanceof Error ? cause.message : String(cause)}`,
      { cause },
    );
  }
}

/**
 * Applies the events after `skipThrough` that the projection's filter admits; returns how
 * many it applied. Call inside a transaction: on a throw, the caller rolls back.
 */
export function applyEvents(
  projection: Projection,
  apply: (event: RecordedEvent) => void,
  events: readonly RecordedEvent[],
  skipThrough: number,
): number {
  let applied = 0;
  for (const event of events) {
    if (event.position <= skipThrough || !matchesFilter(projection.filter, event)) continue;
    try {
      apply(event);
    } catch (error) {
      throw new ProjectionHandlerError(projection.name, event, error);
    }
    applied += 1;
  }
  return applied;
}
