// `POST /servers/{id}/action`: the body's single key names the action, as in Nova. strata
// serves `os-getConsoleOutput` here; any other action is Nova's 400 "no such action".
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { DomainError } from '../../domain/decider.js';
import { HttpError } from '../errors.js';
import type { ComputeRouteOptions } from './options.js';
import { findServer, serverTarget } from './server-access.js';
import { serverParams } from './servers.js';

const consoleOutputBody = z
  .object({
    length: z
      .union([z.number().int(), z.string().regex(/^-?[0-9]+$/, 'must be a whole number')])
      .transform(Number)
      .pipe(z.number().int().min(-1))
      .nullish(),
  })
  .strict();

/** The innermost cause: a failed workflow wraps the activity failure that says what happened. */
function rootMessage(error: unknown): string {
  let current = error;
  while (current instanceof Error && current.cause instanceof Error) current = current.cause;
  return current instanceof Error ? current.message : String(current);
}

/** Nova's action_peek: exactly one key, whose value is the action's arguments. */
function actionOf(body: Record<string, unknown>): [string, unknown] {
  const entries = Object.entries(body);
  const [only] = entries;
  if (!only || entries.length !== 1) throw new DomainError('invalid', 'Malformed request body');
  return only;
}

export const serverActionRoutes: FastifyPluginAsyncZod<ComputeRouteOptions> = async (app, { instances, console: consoleReader }) => {
  app.post(
    '/servers/:serverId/action',
    {
      schema: { summary: 'Run a server action (os-getConsoleOutput)', params: serverParams, body: z.record(z.string(), z.unknown()) },
      config: { policy: 'os_compute_api:os-console-output' },
    },
    async (request) => {
      const [action, argumentsOfAction] = actionOf(request.body);
      if (action !== 'os-getConsoleOutput') throw new DomainError('invalid', `There is no such action: ${action}`);
      const parsed = consoleOutputBody.safeParse(argumentsOfAction);
      if (!parsed.success) throw new DomainError('invalid', `Invalid input for field/attribute os-getConsoleOutput: ${parsed.error.issues.map((issue) => issue.message).join('; ')}`);
      const record = findServer(request, instances, request.params.serverId);
      request.authorize(serverTarget(record));
      const { host } = record.state;
      if (host === null) throw new DomainError('conflict', `Instance ${record.id} is not ready`);
      const length = parsed.data.length ?? -1;
      try {
        return { output: await consoleReader.read(record.id, host, length === -1 ? null : length) };
      } catch (error) {
        throw new HttpError(503, `Unable to get the console output of instance ${record.id} from host ${host}: ${rootMessage(error)}`);
      }
    },
  );
};
