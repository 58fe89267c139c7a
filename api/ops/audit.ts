// `GET /ops/v1/audit/{stream}`: the full, chained history of one resource's stream — every
// event with its data, who caused it (actor, request, workflow step) and its hash link —
// read from the event store itself, so it is exactly what `strata audit verify` checks.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { DomainError } from '../../domain/decider.js';
import { shape } from '../responses.js';
import { auditableStream } from './audit-streams.js';
import type { OpsRouteOptions } from './options.js';

const auditParams = z.object({ stream: auditableStream });
const auditHistory = z.looseObject({
  stream: z.string(),
  events: z.array(shape({ position: z.number(), revision: z.number(), id: z.string(), type: z.string(), hash: z.string(), prevHash: z.string() })),
});

export const auditRoutes: FastifyPluginAsyncZod<OpsRouteOptions> = async (app, { events }) => {
  app.get(
    '/audit/:stream',
    { schema: { summary: "A stream's full event history with actors, causes and hash links", params: auditParams, response: { 200: auditHistory } }, config: { policy: 'strata:ops:audit' } },
    async (request) => {
      request.authorize({});
      const { stream } = request.params;
      const recorded = await events.readStream(stream);
      if (recorded.length === 0) throw new DomainError('not_found', `Stream ${stream} could not be found.`);
      return {
        stream,
        events: recorded.map(({ position, revision, id, type, data, metadata, hash, prevHash }) => ({ position, revision, id, type, data, metadata, hash, prevHash })),
      };
    },
  );
};
