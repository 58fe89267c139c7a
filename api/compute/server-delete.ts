// `DELETE /servers/{id}`: Nova's delete answers 204 at once and deletes in the background
// (application/instances/deleter.ts starts the delete workflow). Another project's server
// and a deleted one are 404; a second DELETE while one runs is 204 again.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { InstanceDeleter } from '../../application/instances/deleter.js';
import { requestMetadata } from '../../application/metadata.js';
import type { InstanceQueries } from '../../projections/instance-queries.js';
import { findServer, serverTarget } from './server-access.js';
import { serverParams } from './servers.js';
import { noContent } from '../responses.js';

export interface ServerDeleteRouteOptions {
  instances: InstanceQueries;
  deleter: InstanceDeleter;
}

export const serverDeleteRoutes: FastifyPluginAsyncZod<ServerDeleteRouteOptions> = async (app, { instances, deleter }) => {
  app.delete(
    '/servers/:serverId',
    { schema: { summary: 'Delete a server', response: { 204: noContent }, params: serverParams }, config: { policy: 'os_compute_api:servers:delete' } },
    async (request, reply) => {
      const record = findServer(request, instances, request.params.serverId);
      const target = serverTarget(record);
      request.authorize(target);
      await deleter.delete(record.id, target.project_id, requestMetadata(request.caller, request.id));
      return reply.status(204).send();
    },
  );
};
