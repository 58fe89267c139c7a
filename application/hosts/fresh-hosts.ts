// The hosts as the scheduler must see them: the read model brought up to the log's head
// first, so a host registered or a claim released a moment ago is already counted.
import type { EventStore } from '../../eventstore/port.js';
import type { HostQueries, HostRecord } from '../../projections/host-queries.js';
import type { ProjectionRunner } from '../../projections/runner.js';

const CATCH_UP_TIMEOUT_MS = 10_000;

export type HostSource = () => Promise<HostRecord[]>;

export function freshHosts(events: EventStore, projections: ProjectionRunner, queries: HostQueries): HostSource {
  return async () => {
    await projections.waitFor(await events.headPosition(), CATCH_UP_TIMEOUT_MS);
    return queries.all();
  };
}
