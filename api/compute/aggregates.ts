// Nova's os-aggregates, read-only. strata groups compute hosts by availability zone alone
// and has no host aggregates of its own, so the list is empty; clients that look a host
// up in the aggregates (`openstack hypervisor show`) then find it in none, as on a Nova
// without aggregates.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { many } from '../responses.js';

const aggregateList = many('aggregates', { id: z.number(), name: z.string() });

export const aggregateRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('/os-aggregates', { schema: { summary: 'List host aggregates (strata has none)', response: { 200: aggregateList } }, config: { policy: 'os_compute_api:os-aggregates:index' } }, async (request) => {
    request.authorize();
    return { aggregates: [] };
  });
};
