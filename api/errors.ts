// OpenStack-style error bodies. Each service speaks its own dialect, and clients parse
// them: Keystone `{"error":{code,title,message}}`, Nova/Cinder `{"itemNotFound":{code,message}}`,
// Glance (webob) `{"code":"404 Not Found","title","message"}`.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { STATUS_CODES } from 'node:http';
import { DomainError, type DomainErrorKind } from '../domain/decider.js';
import { PolicyForbiddenError } from '../domain/policy/errors.js';
import { EventIdConflictError, WrongExpectedRevisionError } from '../eventstore/port.js';

export type ErrorDialect = 'keystone' | 'nova' | 'glance';

export class HttpError extends Error {
  override readonly name = 'HttpError';
  constructor(
    readonly statusCode: number,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

const novaFaultNames: Record<number, string> = {
  400: 'badRequest',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'itemNotFound',
  405: 'badMethod',
  406: 'notAcceptable',
  409: 'conflictingRequest',
  413: 'overLimit',
  415: 'badMediaType',
  429: 'overLimit',
  501: 'notImplemented',
};

export function errorBody(dialect: ErrorDialect, statusCode: number, message: string): Record<string, unknown> {
  const title = STATUS_CODES[statusCode] ?? 'Error';
  switch (dialect) {
    case 'keystone':
      return { error: { code: statusCode, title, message } };
    case 'nova':
      return { [novaFaultNames[statusCode] ?? 'computeFault']: { code: statusCode, message } };
    case 'glance':
      return { code: `${statusCode} ${title}`, title, message };
  }
}

const statusOfDomainError: Record<DomainErrorKind, number> = {
  invalid: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  gone: 410,
  too_large: 413,
  unsupported: 415,
};

function describe(error: FastifyError): { statusCode: number; message: string } {
  if (error instanceof HttpError) return { statusCode: error.statusCode, message: error.message };
  if (error instanceof DomainError) return { statusCode: statusOfDomainError[error.kind], message: error.message };
  if (error instanceof PolicyForbiddenError) return { statusCode: 403, message: error.message };
  if (error instanceof WrongExpectedRevisionError || error instanceof EventIdConflictError) return { statusCode: 409, message: 'The resource was changed by another request; retry.' };
  if (hasZodFastifySchemaValidationErrors(error)) {
    const where = error.validationContext ?? 'request';
    const details = error.validation.map((issue) => `${where}${issue.instancePath.replace(/\//g, '.')}: ${issue.message ?? 'invalid'}`);
    return { statusCode: 400, message: `Invalid input: ${details.join('; ')}` };
  }
  const status = error.statusCode ?? 500;
  // Fastify's own 4xx (bad JSON, body too large, unsupported media type) carry safe messages.
  if (status >= 400 && status < 500) return { statusCode: status, message: error.message };
  return { statusCode: 500, message: 'The server has either erred or is incapable of performing the requested operation.' };
}

/** Installs the dialect's error and not-found handlers on an encapsulated plugin scope. */
export function useErrorDialect(app: FastifyInstance, dialect: ErrorDialect): void {
  app.setErrorHandler((error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    const { statusCode, message } = describe(error);
    if (statusCode >= 500) request.log.error({ err: error }, 'request failed');
    if (error instanceof HttpError) void reply.headers(error.headers);
    return reply.status(statusCode).send(errorBody(dialect, statusCode, message));
  });
  app.setNotFoundHandler((request, reply) =>
    reply.status(404).send(errorBody(dialect, 404, `The resource could not be found: ${request.method} ${request.url.split('?')[0] ?? ''}`)),
  );
}
