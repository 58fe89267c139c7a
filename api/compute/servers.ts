// Nova servers, reading: the list (summary and detail, newest first, marker paging) and
// show. Creating is in server-create.ts, actions in server-actions.ts.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ComputeRouteOptions } from './options.js';
import { markerNotFound, pageLinks } from './paging.js';
import { findServer, hostStatusReader, serverTarget, serverViewContext } from './server-access.js';
import { serverListQueryOf, serverListQuerystring } from './server-list-query.js';
import { serverDetail, serverSummary } from './server-views.js';
import { identified, many, one } from '../responses.js';

export const serverParams = z.object({ serverId: z.string().min(1).max(255) });

export const serverRoutes: FastifyPluginAsyncZod<ComputeRouteOptions> = async (app, { base, instances, hosts }) => {
  for (const detailed of [false, true]) {
    app.get(
      detailed ? '/servers/detail' : '/servers',
      {
        schema: { summary: detailed ? 'List servers with details' : 'List servers', response: { 200: many('servers', identified) }, querystring: serverListQuerystring },
        config: { policy: detailed ? 'os_compute_api:servers:detail' : 'os_compute_api:servers:index' },
      },
      async (request) => {
        request.authorize({ project_id: request.caller.project?.id ?? null, user_id: request.caller.userId });
        const query = serverListQueryOf(request.query, request, detailed);
        const page = instances.list(query);
        if (!page) throw markerNotFound(query.marker ?? '');
        const links = pageLinks(`${base}/v2.1/servers${detailed ? '/detail' : ''}`, request.query, page, query.limit);
        const hostStatusOf = hostStatusReader(hosts);
        return {
          servers: page.map((record) => (detailed ? serverDetail(record, serverViewContext(request, record, base, false, hostStatusOf)) : serverSummary(record, base))),
          ...(links ? { servers_links: links } : {}),
        };
      },
    );
  }

  app.get('/servers/:serverId', { schema: { summary: 'Show a server', response: { 200: one('server', identified) }, params: serverParams }, config: { policy: 'os_compute_api:servers:show' } }, async (request) => {
    const record = findServer(request, instances, request.params.serverId);
    request.authorize(serverTarget(record));
    return { server: serverDetail(record, serverViewContext(request, record, base, true, hostStatusReader(hosts))) };
  });
};
