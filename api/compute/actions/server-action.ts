// One entry of the `POST /servers/{id}/action` table: the oslo policy action it is checked
// against, the zod schema of its arguments and its handler. The dispatcher
// (api/compute/server-actions.ts) validates, finds the server, authorizes, then hands over.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { DomainError } from '../../../domain/decider.js';
import type { InstanceRecord } from '../../../projections/instance-queries.js';
import type { ComputeRouteOptions } from '../options.js';

export interface ServerActionContext {
  request: FastifyRequest;
  reply: FastifyReply;
  options: ComputeRouteOptions;
  /** The server, found for the caller and already authorized against the entry's policy. */
  server: InstanceRecord;
}

/** What the handler answers: the body (an empty string for none), with the status and headers set on the reply. */
export type ServerActionHandler = (context: ServerActionContext) => Promise<unknown>;

export interface ServerAction {
  readonly policy: string;
  /** Validates the action's arguments (Nova's 400 on bad input) and binds them to the handler. */
  accept(name: string, args: unknown): ServerActionHandler;
}

export interface ServerActionDefinition<Schema extends z.ZodType> {
  policy: string;
  body: Schema;
  handle(context: ServerActionContext, args: z.output<Schema>): Promise<unknown>;
}

export function serverAction<Schema extends z.ZodType>(definition: ServerActionDefinition<Schema>): ServerAction {
  return {
    policy: definition.policy,
    accept(name, args) {
      const parsed = definition.body.safeParse(args);
      if (!parsed.success) {
        const details = parsed.error.issues.map((issue) => (issue.path.length > 0 ? `${issue.path.join('.')}: ${issue.message}` : issue.message));
        throw new DomainError('invalid', `Invalid input for field/attribute ${name}: ${details.join('; ')}`);
      }
      return (context) => definition.handle(context, parsed.data);
    },
  };
}
