// `POST /servers/{id}/action`: the body's single key names the action, as in Nova. Each
// action is an entry of the table in ./actions (its own policy, body schema and handler);
// any other key is Nova's 400 "no such action".
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { DomainError } from '../../domain/decider.js';
import { serverActions } from './actions/index.js';
import type { ComputeRouteOptions } from './options.js';
import { findServer, serverTarget } from './server-access.js';
import { serverParams } from './servers.js';
import { shape } from '../responses.js';

/** What an action answers: its result object, or nothing (an empty body). */
const actionResult = z.union([shape({}), z.literal('')]).describe("The action's result, or an empty body") as z.ZodType<unknown>;

/** Nova's action_peek: exactly one key, whose value is the action's arguments. */
function actionOf(body: Record<string, unknown>): [string, unknown] {
  const entries = Object.entries(body);
  const [only] = entries;
  if (!only || entries.length !== 1) throw new DomainError('invalid', 'Malformed request body');
  return only;
}

export const serverActionRoutes: FastifyPluginAsyncZod<ComputeRouteOptions> = async (app, options) => {
  app.post(
    '/servers/:serverId/action',
    {
      schema: { summary: `Run a server action (${Object.keys(serverActions).join(', ')})`, params: serverParams, body: z.record(z.string(), z.unknown()), response: { 200: actionResult, 202: actionResult } },
      // Declared for authentication and the route table (an action needs a server the caller
      // may see); each action is then authorized against its own policy via request.authorizeAs.
      config: { policy: 'os_compute_api:servers:show' },
    },
    async (request, reply) => {
      const [name, args] = actionOf(request.body);
      const action = Object.hasOwn(serverActions, name) ? serverActions[name] : undefined;
      if (!action) throw new DomainError('invalid', `There is no such action: ${name}`);
      const handle = action.accept(name, args);
      const server = findServer(request, options.instances, request.params.serverId);
      request.authorizeAs(action.policy, serverTarget(server));
      return reply.send(await handle({ request, reply, options, server }));
    },
  );
};
