// Keystone v3 tokens: issue (password method, optional project scope), validate, revoke.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AUTHENTICATION_FAILED } from '../../application/identity/tokens.js';
import { HttpError } from '../errors.js';
import { serviceCatalog } from './catalog.js';
import type { IdentityRouteOptions } from './options.js';
import { tokenView } from './views.js';
import { noContent, one } from '../responses.js';

const reference = z.string().min(1).max(255);
const domainRef = z.strictObject({ id: reference.optional(), name: reference.optional() }).refine((d) => d.id !== undefined || d.name !== undefined, {
  message: 'Expecting to find id or name in domain',
});
const named = z
  .object({ id: reference.optional(), name: reference.optional(), domain: domainRef.optional() })
  .refine((ref) => ref.id !== undefined || ref.name !== undefined, { message: 'Expecting to find id or name' })
  .refine((ref) => ref.id !== undefined || ref.domain !== undefined, { message: 'Expecting to find domain when a name is given' });

const authBody = z.object({
  auth: z.object({
    identity: z.object({
      methods: z.array(z.string()).min(1),
      password: z.object({ user: named.and(z.object({ password: z.string().max(4096) })) }).optional(),
    }),
    scope: z.union([z.object({ project: named }), z.literal('unscoped')]).optional(),
  }),
});

const subjectHeaders = z.object({ 'x-subject-token': z.string().min(1).max(1024) });

export const tokenRoutes: FastifyPluginAsyncZod<IdentityRouteOptions> = async (app, { tokens, apiBase, region }) => {
  app.post(
    '/v3/auth/tokens',
    {
      schema: { summary: 'Authenticate and issue a token', response: { 201: one('token', { expires_at: z.string() }) }, body: authBody, querystring: z.object({ nocatalog: z.string().optional() }) },
      config: { policy: null },
    },
    async (request, reply) => {
      const { identity, scope } = request.body.auth;
      if (!identity.methods.includes('password') || !identity.password) throw new HttpError(401, AUTHENTICATION_FAILED);
      const { password, ...user } = identity.password.user;
      const projectScope = scope === undefined || scope === 'unscoped' ? null : scope.project;
      const { token, caller } = await tokens.issue({ user, password, scope: projectScope }, request.id);
      const catalog = request.query.nocatalog === undefined ? serviceCatalog(apiBase, caller) : null;
      return reply.status(201).header('x-subject-token', token).send(tokenView(caller, catalog, region));
    },
  );

  app.get(
    '/v3/auth/tokens',
    {
      schema: { summary: 'Validate a token', response: { 200: one('token', { expires_at: z.string() }) }, headers: subjectHeaders, querystring: z.object({ nocatalog: z.string().optional() }) },
      config: { policy: 'identity:validate_token' },
      exposeHeadRoute: false,
    },
    async (request) => {
      const subject = await tokens.validate(request.headers['x-subject-token']);
      request.authorize({ 'target.token.user_id': subject?.userId ?? null });
      if (!subject) throw new HttpError(404, 'Could not find token.');
      return tokenView(subject, request.query.nocatalog === undefined ? serviceCatalog(apiBase, subject) : null, region);
    },
  );

  app.head(
    '/v3/auth/tokens',
    { schema: { summary: 'Check a token', response: { 200: noContent, 404: noContent }, headers: subjectHeaders }, config: { policy: 'identity:check_token' } },
    async (request, reply) => {
      const subject = await tokens.validate(request.headers['x-subject-token']);
      request.authorize({ 'target.token.user_id': subject?.userId ?? null });
      return reply.status(subject ? 200 : 404).send();
    },
  );

  app.delete(
    '/v3/auth/tokens',
    { schema: { summary: 'Revoke a token', response: { 204: noContent }, headers: subjectHeaders }, config: { policy: 'identity:revoke_token' } },
    async (request, reply) => {
      const subject = await tokens.validate(request.headers['x-subject-token']);
      request.authorize({ 'target.token.user_id': subject?.userId ?? null });
      if (!subject) throw new HttpError(404, 'Could not find token.');
      await tokens.revoke(subject, request.caller, request.id);
      return reply.status(204).send();
    },
  );
};
