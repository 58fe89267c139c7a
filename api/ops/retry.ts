// `POST /ops/v1/instances/{id}/retry`: an operator retries a failed launch that is waiting
// for a decision, optionally forcing the host (Nova's forced_host rule: admin only). 202
// once the retry is recorded (the boot itself goes on in the launch workflow); 409 when the
// instance is not waiting for a decision; 404 for an instance the caller cannot see.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { InstanceRetrier } from '../../application/instances/retrier.js';
import { requestMetadata } from '../../application/metadata.js';
import { imageQueries } from '../../projections/image-queries.js';
import { findServer, serverTarget } from '../compute/server-access.js';
import type { OpsRouteOptions } from './options.js';
import { one } from '../responses.js';

const retryParams = z.object({ instanceId: z.string().min(1).max(64) });
const retryBody = z
  .object({ host: z.string().min(1).max(255).regex(/^[A-Za-z0-9._-]+$/, 'letters, digits, ".", "_" or "-"').nullish() })
  .strict()
  .nullish();

export const retryRoutes: FastifyPluginAsyncZod<OpsRouteOptions> = async (app, { events, projections, temporal, readModel, instances }) => {
  const retrier = new InstanceRetrier({ events, projections, temporal, images: imageQueries(readModel) });
  app.post(
    '/instances/:instanceId/retry',
    { schema: { summary: "Retry a failed launch that waits for an operator's decision", params: retryParams, body: retryBody, response: { 202: one('retry', { instance_id: z.string() }) } }, config: { policy: 'strata:ops:retry' } },
    async (request, reply) => {
      const instance = findServer(request, instances, request.params.instanceId);
      const target = serverTarget(instance);
      request.authorize(target);
      const host = request.body?.host ?? null;
      if (host !== null) request.authorizeAs('os_compute_api:servers:create:forced_host', target);
      const { attempt } = await retrier.retry(instance, host, requestMetadata(request.caller, request.id));
      return reply.code(202).send({ retry: { instance_id: instance.id, attempt, host } });
    },
  );
};
