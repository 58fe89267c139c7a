// The application services the routes call, built once per API process over its context.
import { bootstrapIdentity } from '../application/identity/bootstrap.js';
import { DirectoryService } from '../application/identity/directory.js';
import { TokenService } from '../application/identity/tokens.js';
import { requestMetadata } from '../application/metadata.js';
import { apiBaseUrl } from '../config/paths.js';
import { computeRouteOptions } from './compute/compose.js';
import type { ComputeRouteOptions } from './compute/options.js';
import { imageRouteOptions } from './image/compose.js';
import type { ImageRouteOptions } from './image/options.js';
import { opsRouteOptions } from './ops/compose.js';
import type { OpsRouteOptions } from './ops/options.js';
import { volumeRouteOptions } from './volume/compose.js';
import type { VolumeRouteOptions } from './volume/options.js';
import { identityQueries } from '../projections/identity-queries.js';
import type { ApiContext } from './context.js';
import type { IdentityRouteOptions } from './identity/options.js';
import type { MetricsOptions } from './metrics.js';
import type { Authorization } from './policy.js';

export interface ApiServices extends Authorization {
  tokens: TokenService;
  identity: IdentityRouteOptions;
  image: ImageRouteOptions;
  compute: ComputeRouteOptions;
  volume: VolumeRouteOptions;
  ops: OpsRouteOptions;
  metrics: MetricsOptions;
}

/** Builds the services and runs the identity bootstrap (admin user, project and roles). */
export async function createServices(context: ApiContext, authorization: Authorization): Promise<ApiServices> {
  const { config, events, projections, readModel } = context;
  const queries = identityQueries(readModel);
  const tokens = new TokenService({ events, queries, projections, tokenTtlSeconds: config.identity.tokenTtlSeconds });
  const directory = new DirectoryService(events, projections);
  await bootstrapIdentity(config.identity, directory, queries, requestMetadata(null, 'bootstrap'));
  const apiBase = apiBaseUrl(config);
  return {
    ...authorization,
    tokens,
    identity: { base: `${apiBase}/identity`, apiBase, region: config.identity.region, tokens, directory, queries },
    image: await imageRouteOptions(context, authorization.protections),
    compute: await computeRouteOptions(context),
    volume: volumeRouteOptions(context),
    ops: opsRouteOptions(context),
    metrics: { metrics: context.metrics, events: context.events, readModel: context.readModel },
  };
}
