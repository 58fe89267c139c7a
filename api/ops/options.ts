// What the ops routes are given by the API's composition root: the process's shared parts,
// so a new ops route is one file plus one line in index.ts (no new wiring).
import type { Client } from '@temporalio/client';
import type { StrataConfig } from '../../config/schema.js';
import type { EventStore } from '../../eventstore/port.js';
import type { InstanceQueries } from '../../projections/instance-queries.js';
import type { ReadModelDatabase } from '../../projections/read-model.js';
import type { ProjectionRunner } from '../../projections/runner.js';

export interface OpsRouteOptions {
  config: StrataConfig;
  events: EventStore;
  readModel: ReadModelDatabase;
  projections: ProjectionRunner;
  temporal: Client;
  instances: InstanceQueries;
}
