// What the API's route plugins share: the event log, this process's read model and the
// projection runner that keeps it current, the Temporal client, and the configuration.
import { Client, Connection } from '@temporalio/client';
import type { StrataConfig } from '../config/schema.js';
import { dataPaths } from '../config/paths.js';
import { strataEventSchemas } from '../domain/event-registry.js';
import { openEventStore } from '../eventstore/open.js';
import type { EventStore } from '../eventstore/port.js';
import { allProjections } from '../projections/all.js';
import { openProjectedReadModel, type ProjectedReadModel } from '../projections/projected-read-model.js';
import type { ReadModelDatabase } from '../projections/read-model.js';
import type { ProjectionRunner } from '../projections/runner.js';
import { instrumentAppends } from '../runtime/metrics/instrumented-event-store.js';
import { followLifecycle } from '../runtime/metrics/lifecycle-observer.js';
import { createStrataMetrics, type StrataMetrics } from '../runtime/metrics/registry.js';
import { temporalAddress } from '../workers/temporal-connection.js';
import type { ReadinessCheck } from './health.js';

export interface ApiContext {
  config: StrataConfig;
  events: EventStore;
  readModel: ReadModelDatabase;
  projections: ProjectionRunner;
  temporal: Client;
  readiness: ReadinessCheck[];
  /** This process's Prometheus registry, fed by its appends, the log it follows and its requests. */
  metrics: StrataMetrics;
  close(): Promise<void>;
}

/** Opens every dependency and brings the read model up to the head of the log. */
export async function openApiContext(config: StrataConfig): Promise<ApiContext> {
  const paths = dataPaths(config);
  const metrics = createStrataMetrics();
  const events = instrumentAppends(openEventStore(config, strataEventSchemas()), metrics);
  let readModel: ProjectedReadModel;
  try {
    readModel = await openProjectedReadModel(events, paths.readModel, allProjections);
  } catch (error) {
    await events.close();
    throw error;
  }
  const connection = Connection.lazy({ address: temporalAddress(config) });
  const lifecycle = followLifecycle(events, metrics);
  return {
    config,
    events,
    readModel: readModel.db,
    projections: readModel.runner,
    temporal: new Client({ connection, namespace: config.temporal.namespace }),
    readiness: [
      { name: 'temporal', check: async () => void (await connection.workflowService.getSystemInfo({})) },
      { name: 'eventstore', check: async () => void (await events.headPosition()) },
    ],
    metrics,
    async close() {
      await lifecycle.stop();
      await readModel.close();
      await connection.close();
      await events.close();
    },
  };
}
