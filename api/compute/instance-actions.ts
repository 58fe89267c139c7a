// Nova's os-instance-actions: what was done to a server, by whom, and the steps that did
// it (`openstack server event list|show`). Derived from the server's event stream
// (domain/compute/instance-actions.ts). From 2.21 a deleted server's actions stay
// readable; from 2.51 non-admins see the events too; 2.58 adds paging and changes-since,
// 2.66 changes-before.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { DomainError } from '../../domain/decider.js';
import { many, one } from '../responses.js';
import { actionEventView, actionView, type ActionViewContext } from './instance-action-views.js';
import type { ComputeRouteOptions } from './options.js';
import { markerNotFound, pageLimit, pageLinks } from './paging.js';
import { findServer, serverTarget } from './server-access.js';
import { timeOf } from './server-list-query.js';
import { serverParams } from './servers.js';

const listQuerystring = z
  .object({ limit: z.string().optional(), marker: z.string().optional(), 'changes-since': z.string().optional(), 'changes-before': z.string().optional() })
  .loose();
const showParams = serverParams.extend({ requestId: z.string().min(1).max(255) });

const EVENTS = 'os_compute_api:os-instance-actions:events';
const actionFields = { action: z.string(), request_id: z.string(), instance_uuid: z.string() };

export const instanceActionRoutes: FastifyPluginAsyncZod<ComputeRouteOptions> = async (app, { base, instances, instanceActions }) => {
  app.get(
    '/servers/:serverId/os-instance-actions',
    { schema: { summary: "List a server's actions", params: serverParams, querystring: listQuerystring, response: { 200: many('instanceActions', actionFields) } }, config: { policy: 'os_compute_api:os-instance-actions:list' } },
    async (request) => {
      const { microversion } = request;
      const record = findServer(request, instances, request.params.serverId, microversion.atLeast('2.21'));
      request.authorize(serverTarget(record));
      let actions = (await instanceActions.actionsOf(record.id)).reverse();
      const context = { instanceId: record.id, projectId: record.state.request.projectId, microversion, showHost: false };
      if (!microversion.atLeast('2.58')) return { instanceActions: actions.map((action) => actionView(action, context)) };
      const { query } = request;
      const since = timeOf(query['changes-since']);
      const before = microversion.atLeast('2.66') ? timeOf(query['changes-before'], 'changes-before') : null;
      if (since !== null && before !== null && since > before) throw new DomainError('invalid', 'The value of changes-since must be less than or equal to changes-before.');
      actions = actions.filter((action) => (since === null || action.updatedAt >= since) && (before === null || action.updatedAt <= before));
      if (query.marker !== undefined) {
        const at = actions.findIndex((action) => action.requestId === query.marker);
        if (at < 0) throw markerNotFound(query.marker);
        actions = actions.slice(at + 1);
      }
      const limit = pageLimit(query.limit);
      const page = actions.slice(0, limit);
      const links = pageLinks(`${base}/v2.1/servers/${record.id}/os-instance-actions`, query, page.map((action) => ({ id: action.requestId })), limit);
      return { instanceActions: page.map((action) => actionView(action, context)), ...(links ? { links } : {}) };
    },
  );

  app.get(
    '/servers/:serverId/os-instance-actions/:requestId',
    { schema: { summary: 'Show a server action and its events', params: showParams, response: { 200: one('instanceAction', actionFields) } }, config: { policy: 'os_compute_api:os-instance-actions:show' } },
    async (request) => {
      const { microversion } = request;
      const { serverId, requestId } = request.params;
      const record = findServer(request, instances, serverId, microversion.atLeast('2.21'));
      const target = serverTarget(record);
      request.authorize(target);
      const action = (await instanceActions.actionsOf(record.id)).find((candidate) => candidate.requestId === requestId);
      if (!action) throw new DomainError('not_found', `Action for request_id ${requestId} on instance ${record.id} not found`);
      const context: ActionViewContext = {
        instanceId: record.id,
        projectId: target.project_id,
        microversion,
        showHost: request.allowed(`${EVENTS}:details`, target),
      };
      // Before 2.51 only callers allowed the events policy (admins by default) see the events.
      const showEvents = microversion.atLeast('2.51') || request.allowed(EVENTS, target);
      return { instanceAction: { ...actionView(action, context), ...(showEvents ? { events: action.steps.map((step) => actionEventView(step, context)) } : {}) } };
    },
  );
};
