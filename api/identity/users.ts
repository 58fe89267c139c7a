// Keystone v3 users: list (?name=), show, create (with password), update, delete, and the
// projects a user has roles on.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requestMetadata } from '../../application/metadata.js';
import { DomainError } from '../../domain/decider.js';
import { directoryListQuery, matchesListQuery } from './list-query.js';
import type { IdentityRouteOptions } from './options.js';
import { listLinks, projectView, userView } from './views.js';
import { many, named, noContent, one } from '../responses.js';

const idParams = z.object({ userId: z.string().min(1).max(255) });
const userBody = z.object({
  name: z.string().min(1).max(255),
  password: z.string().min(1).max(4096).nullish(),
  enabled: z.boolean().optional(),
  email: z.string().max(255).nullish(),
  default_project_id: z.string().max(64).nullish(),
  domain_id: z.literal('default').optional(),
  description: z.string().max(65535).nullish(),
  options: z.object({}).strict().optional(),
});

export const userRoutes: FastifyPluginAsyncZod<IdentityRouteOptions> = async (app, { base, directory, queries }) => {
  const found = (userId: string) => {
    const row = queries.user({ id: userId });
    if (!row) throw new DomainError('not_found', `Could not find user: ${userId}.`);
    return row;
  };

  app.get(
    '/v3/users',
    {
      schema: { summary: 'List users', response: { 200: many('users', named) }, querystring: directoryListQuery },
      config: { policy: 'identity:list_users' },
    },
    async (request) => {
      request.authorize({ 'target.domain_id': request.query.domain_id ?? 'default' });
      const users = queries.users().filter((row) => matchesListQuery(row, request.query));
      return { users: users.map((row) => userView(base, row)), links: listLinks(base, 'users') };
    },
  );

  app.get('/v3/users/:userId', { schema: { summary: 'Show a user', response: { 200: one('user', named) }, params: idParams }, config: { policy: 'identity:get_user' } }, async (request) => {
    request.authorize({ 'target.user.id': request.params.userId, 'target.user.domain_id': 'default' });
    return { user: userView(base, found(request.params.userId)) };
  });

  app.post('/v3/users', { schema: { summary: 'Create a user', response: { 201: one('user', named) }, body: z.object({ user: userBody }) }, config: { policy: 'identity:create_user' } }, async (request, reply) => {
    request.authorize({ 'target.user.domain_id': 'default' });
    const { name, password, enabled, email, default_project_id } = request.body.user;
    if (!password) throw new DomainError('invalid', 'A password is required: strata users authenticate with passwords only.');
    const userId = await directory.createUser(
      { name, password, enabled: enabled ?? true, email: email ?? null, defaultProjectId: default_project_id ?? null },
      requestMetadata(request.caller, request.id),
    );
    return reply.status(201).send({ user: userView(base, found(userId)) });
  });

  app.patch(
    '/v3/users/:userId',
    { schema: { summary: 'Update a user', response: { 200: one('user', named) }, params: idParams, body: z.object({ user: userBody.omit({ name: true }).partial() }) }, config: { policy: 'identity:update_user' } },
    async (request) => {
      request.authorize({ 'target.user.id': request.params.userId, 'target.user.domain_id': 'default' });
      const { password, enabled, email, default_project_id } = request.body.user;
      await directory.updateUser(
        { userId: found(request.params.userId).id, password: password ?? undefined, enabled, email, defaultProjectId: default_project_id },
        requestMetadata(request.caller, request.id),
      );
      return { user: userView(base, found(request.params.userId)) };
    },
  );

  app.delete('/v3/users/:userId', { schema: { summary: 'Delete a user', response: { 204: noContent }, params: idParams }, config: { policy: 'identity:delete_user' } }, async (request, reply) => {
    request.authorize({ 'target.user.id': request.params.userId, 'target.user.domain_id': 'default' });
    await directory.deleteUser(found(request.params.userId).id, requestMetadata(request.caller, request.id));
    return reply.status(204).send();
  });

  app.get(
    '/v3/users/:userId/projects',
    { schema: { summary: "List a user's projects", response: { 200: many('projects', named) }, params: idParams }, config: { policy: 'identity:list_user_projects' } },
    async (request) => {
      request.authorize({ 'target.user.id': request.params.userId });
      const projects = queries.projectsOfUser(found(request.params.userId).id);
      return { projects: projects.map((row) => projectView(base, row)), links: listLinks(base, `users/${request.params.userId}/projects`) };
    },
  );
};
