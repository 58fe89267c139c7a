// Opens what the scheduling activities need in the control worker: the event log and a
// hosts read model of the worker's own. The read model lives in memory and is rebuilt
// from the log at each start, so control workers never share (or fight over) a file.
import type { StrataConfig } from '../../config/schema.js';
import { freshHosts } from '../../application/hosts/fresh-hosts.js';
import { strataEventSchemas } from '../../domain/event-registry.js';
import { openEventStore } from '../../eventstore/open.js';
import { hostQueries } from '../../projections/host-queries.js';
import { hostsProjection } from '../../projections/hosts.js';
import { openReadModel } from '../../projections/read-model.js';
import { ProjectionRunner } from '../../projections/runner.js';
import type { SchedulingActivities } from '../launch/contract.js';
import { createSchedulingActivities } from './scheduling-activities.js';

export interface SchedulingWiring {
  activities: SchedulingActivities;
  close(): Promise<void>;
}

export async function schedulingActivitiesFor(config: StrataConfig): Promise<SchedulingWiring> {
  const events = openEventStore(config, strataEventSchemas());
  const readModel = openReadModel(':memory:');
  const projections = new ProjectionRunner({ store: events, db: readModel, projections: [hostsProjection] });
  try {
    await projections.start();
  } catch (error) {
    readModel.close();
    await events.close();
    throw error;
  }
  return {
    activities: createSchedulingActivities({ events, hosts: freshHosts(events, projections, hostQueries(readModel)) }),
    async close() {
      await projections.stop();
      readModel.close();
      await events.close();
    },
  };
}
