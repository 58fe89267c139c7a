// What the API's route plugins share: the event log, this process's read model and the
// projection runner that keeps it current, the Temporal client, and the configuration.
import { Client, Connection } from '@temporalio/client';
import type { StrataConfig } from '../config/schema.js';
import { dataPaths } from '../config/paths.js';
import { strataEventSchemas } from '../domain/event-registry.js';
import { openEventStore } from '../eventstore/open.js';
import type { EventStore } from '../eventstore/port.js';
import { allProjections } from '../projections/all.js';
import { openReadModel, type ReadModelDatabase } from '../projections/read-model.js';
import { ProjectionRunner } from '../projections/runner.js';
import { temporalAddress } from '../workers/temporal-connection.js';
import type { ReadinessCheck } from './health.js';

export interface ApiContext {
  config: StrataConfig;
  events: EventStore;
  readModel: ReadModelDatabase;
  projections: ProjectionRunner;
  temporal: Client;
  readiness: ReadinessCheck[];
  close(): Promise<void>;
}

/** Opens every dependency and brings the read model up to the head of the log. */
export async function openApiContext(config: StrataConfig): Promise<ApiContext> {
  const paths = dataPaths(config);
  const events = openEventStore(config, strataEventSchemas());
  const readModel = openReadModel(paths.readModel);
  const projections = new ProjectionRunner({ store: events, db: readModel, projections: allProjections });
  const connection = Connection.lazy({ address: temporalAddress(config) });
  try {
    await projections.start();
  } catch (error) {
    readModel.close();
    await events.close();
    throw error;
  }
  return {
    config,
    events,
    readModel,
    projections,
    temporal: new Client({ connection, namespace: config.temporal.namespace }),
    readiness: [
      { name: 'temporal', check: async () => void (await connection.workflowService.getSystemInfo({})) },
      { name: 'eventstore', check: async () => void (await events.headPosition()) },
    ],
    async close() {
      await projections.stop();
      readModel.close();
      await connection.close();
      await events.close();
    },
  };
}
