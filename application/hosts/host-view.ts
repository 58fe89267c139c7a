// The hosts as the scheduler must see them: a hosts read model of the process's own,
// brought up to the log's head before each look, so a host registered or a claim
// released a moment ago (by any process) is already counted. The read model lives in
// memory and is rebuilt from the log when opened: no file is shared between schedulers.
import type { EventStoreSettings } from '../../eventstore/open.js';
import { openEventStore } from '../../eventstore/open.js';
import type { EventStore } from '../../eventstore/port.js';
import { strataEventSchemas } from '../../domain/event-registry.js';
import type { HostRecord } from '../../projections/host-queries.js';
import { hostQueries } from '../../projections/host-queries.js';
import { hostsProjection } from '../../projections/hosts.js';
import { openProjectedReadModel, type ProjectedReadModel } from '../../projections/projected-read-model.js';

const CATCH_UP_TIMEOUT_MS = 10_000;

export type HostSource = () => Promise<HostRecord[]>;

export interface HostView {
  events: EventStore;
  hosts: HostSource;
  close(): Promise<void>;
}

export async function openHostView(settings: EventStoreSettings): Promise<HostView> {
  const events = openEventStore(settings, strataEventSchemas());
  let readModel: ProjectedReadModel;
  try {
    readModel = await openProjectedReadModel(events, ':memory:', [hostsProjection]);
  } catch (error) {
    await events.close();
    throw error;
  }
  const queries = hostQueries(readModel.db);
  return {
    events,
    async hosts() {
      await readModel.runner.waitFor(await events.headPosition(), CATCH_UP_TIMEOUT_MS);
      return queries.all();
    },
    async close() {
      await readModel.close();
      await events.close();
    },
  };
}
