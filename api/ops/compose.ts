// Builds the ops service's parts for one API process.
import { instanceQueries } from '../../projections/instance-queries.js';
import type { ApiContext } from '../context.js';
import type { OpsRouteOptions } from './options.js';

export function opsRouteOptions({ config, events, readModel, projections, temporal }: ApiContext): OpsRouteOptions {
  return { config, events, readModel, projections, temporal, instances: instanceQueries(readModel) };
}
