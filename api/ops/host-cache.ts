// `GET /ops/v1/hosts/{host}/cache`: a compute host's cached base images as `strata cache
// list` shows them, listed by the host's own worker (the `listImageCache` workflow routes
// the work to `compute.<host>`). Guarded like showing a hypervisor: host details are the
// admin's. Server paths stay out of the answer.
import { randomUUID } from 'node:crypto';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { DomainError } from '../../domain/decider.js';
import { hostQueries } from '../../projections/host-queries.js';
import { listImageCache } from '../../workflows/prune-image-cache.js';
import { CONTROL_TASK_QUEUE } from '../../workflows/task-queues.js';
import { HttpError } from '../errors.js';
import type { OpsRouteOptions } from './options.js';
import { shape } from '../responses.js';

const hostParams = z.object({ host: z.string().min(1).max(255) });

/** A host whose worker is down would leave the listing waiting; the caller hears so instead. */
const LISTING_TIMEOUT = '20 seconds';

export const hostCacheRoutes: FastifyPluginAsyncZod<OpsRouteOptions> = async (app, { readModel, temporal }) => {
  const hosts = hostQueries(readModel);
  app.get(
    '/hosts/:host/cache',
    { schema: { summary: "A compute host's cached base images", params: hostParams, response: { 200: shape({ host: z.string(), bases: z.array(shape({})) }) } }, config: { policy: 'os_compute_api:os-hypervisors:show' } },
    async (request) => {
      request.authorize();
      const { host } = request.params;
      if (!hosts.all().some((record) => record.state.registration.host === host)) throw new DomainError('not_found', `Compute host ${host} could not be found.`);
      const listing = await temporal.workflow
        .execute(listImageCache, { taskQueue: CONTROL_TASK_QUEUE, workflowId: `cache-list-${host}-${randomUUID()}`, args: [host], workflowExecutionTimeout: LISTING_TIMEOUT })
        .catch((error: unknown) => {
          throw new HttpError(503, `Host ${host} did not list its image cache: ${error instanceof Error ? error.message : String(error)}`);
        });
      return {
        host,
        bases: listing.bases.map(({ name, imageId, format, sizeBytes, lastUsedAt, inUseBy }) => ({ name, imageId, format, sizeBytes, lastUsedAt, inUseBy })),
        partialDownloads: listing.partials.length,
      };
    },
  );
};
