// strata's native operator and auditor API under /ops/v1 (not an OpenStack service, so it
// answers errors in the plain `{"error":{code,title,message}}` form). Each route is its own
// file; adding one is that file plus one entry in `opsRoutes`.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { useErrorDialect } from '../errors.js';
import { auditRoutes } from './audit.js';
import { failureRoutes } from './failures.js';
import { hostCacheRoutes } from './host-cache.js';
import type { OpsRouteOptions } from './options.js';
import { retryRoutes } from './retry.js';

const opsRoutes: FastifyPluginAsyncZod<OpsRouteOptions>[] = [auditRoutes, retryRoutes, failureRoutes, hostCacheRoutes];

/** The route options alone: fastify adds its own (prefix) to what a plugin receives. */
function ownOptions({ config, events, readModel, projections, temporal, instances }: OpsRouteOptions): OpsRouteOptions {
  return { config, events, readModel, projections, temporal, instances };
}

export const opsService: FastifyPluginAsyncZod<OpsRouteOptions> = async (app, options) => {
  useErrorDialect(app, 'keystone');
  for (const routes of opsRoutes) await app.register(routes, { prefix: '/v1', ...ownOptions(options) });
};
