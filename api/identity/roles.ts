// Keystone v3 roles, project role grants and role assignments.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requestMetadata } from '../../application/metadata.js';
import { DomainError } from '../../domain/decider.js';
import type { IdentityRouteOptions } from './options.js';
import { listLinks, roleView } from './views.js';
import { many, named, noContent, one } from '../responses.js';

const reference = z.string().min(1).max(255);
const grantParams = z.object({ projectId: reference, userId: reference, roleId: reference });

export const roleRoutes: FastifyPluginAsyncZod<IdentityRouteOptions> = async (app, { base, directory, queries }) => {
  const lookup = <T>(kind: string, id: string, find: (ref: { id: string }) => T | undefined): T => {
    const row = find({ id });
    if (!row) throw new DomainError('not_found', `Could not find ${kind}: ${id}.`);
    return row;
  };
  const grantTarget = ({ projectId, userId, roleId }: z.infer<typeof grantParams>) => ({
    'target.project.id': projectId,
    'target.user.id': userId,
    'target.role.id': roleId,
  });
  const grant = (params: z.infer<typeof grantParams>) => ({
    projectId: lookup('project', params.projectId, queries.project).id,
    userId: lookup('user', params.userId, queries.user).id,
    roleId: lookup('role', params.roleId, queries.role).id,
  });

  app.get('/v3/roles', { schema: { summary: 'List roles', response: { 200: many('roles', named) }, querystring: z.object({ name: z.string().optional() }) }, config: { policy: 'identity:list_roles' } }, async (request) => {
    request.authorize();
    const roles = queries.roles().filter((row) => request.query.name === undefined || row.name === request.query.name);
    return { roles: roles.map((row) => roleView(base, row)), links: listLinks(base, 'roles') };
  });

  app.get('/v3/roles/:roleId', { schema: { summary: 'Show a role', response: { 200: one('role', named) }, params: z.object({ roleId: reference }) }, config: { policy: 'identity:get_role' } }, async (request) => {
    request.authorize({ 'target.role.id': request.params.roleId });
    return { role: roleView(base, lookup('role', request.params.roleId, queries.role)) };
  });

  app.post(
    '/v3/roles',
    { schema: { summary: 'Create a role', response: { 201: one('role', named) }, body: z.object({ role: z.object({ name: z.string().min(1).max(255) }) }) }, config: { policy: 'identity:create_role' } },
    async (request, reply) => {
      request.authorize();
      const roleId = await directory.createRole(request.body.role.name, requestMetadata(request.caller, request.id));
      return reply.status(201).send({ role: roleView(base, lookup('role', roleId, queries.role)) });
    },
  );

  app.put(
    '/v3/projects/:projectId/users/:userId/roles/:roleId',
    { schema: { summary: 'Grant a role on a project', response: { 204: noContent }, params: grantParams }, config: { policy: 'identity:create_grant' } },
    async (request, reply) => {
      request.authorize(grantTarget(request.params));
      await directory.grantRole(grant(request.params), requestMetadata(request.caller, request.id));
      return reply.status(204).send();
    },
  );

  app.head(
    '/v3/projects/:projectId/users/:userId/roles/:roleId',
    { schema: { summary: 'Check a role grant', response: { 204: noContent, 404: noContent }, params: grantParams }, config: { policy: 'identity:check_grant' } },
    async (request, reply) => {
      request.authorize(grantTarget(request.params));
      const { projectId, userId, roleId } = grant(request.params);
      const granted = queries.rolesOnProject(userId, projectId).some((role) => role.id === roleId);
      return reply.status(granted ? 204 : 404).send();
    },
  );

  app.delete(
    '/v3/projects/:projectId/users/:userId/roles/:roleId',
    { schema: { summary: 'Revoke a role grant', response: { 204: noContent }, params: grantParams }, config: { policy: 'identity:revoke_grant' } },
    async (request, reply) => {
      request.authorize(grantTarget(request.params));
      await directory.revokeRole(grant(request.params), requestMetadata(request.caller, request.id));
      return reply.status(204).send();
    },
  );

  app.get(
    '/v3/projects/:projectId/users/:userId/roles',
    { schema: { summary: "List a user's roles on a project", response: { 200: many('roles', named) }, params: grantParams.omit({ roleId: true }) }, config: { policy: 'identity:list_grants' } },
    async (request) => {
      const { projectId, userId } = request.params;
      request.authorize({ 'target.project.id': projectId, 'target.user.id': userId });
      const roles = queries.rolesOnProject(lookup('user', userId, queries.user).id, lookup('project', projectId, queries.project).id);
      return { roles: roles.map((row) => roleView(base, row)), links: listLinks(base, `projects/${projectId}/users/${userId}/roles`) };
    },
  );

  app.get(
    '/v3/role_assignments',
    {
      schema: {
        summary: 'List role assignments',
        response: { 200: many('role_assignments', {}) },
        querystring: z.object({ 'user.id': z.string().optional(), 'scope.project.id': z.string().optional(), 'role.id': z.string().optional(), include_names: z.string().optional() }),
      },
      config: { policy: 'identity:list_role_assignments' },
    },
    async (request) => {
      request.authorize();
      const query = request.query;
      const names = query.include_names !== undefined && query.include_names !== 'false' && query.include_names !== '0';
      const assignments = queries
        .grants()
        .filter((row) => (query['user.id'] ?? row.user_id) === row.user_id && (query['scope.project.id'] ?? row.project_id) === row.project_id)
        .filter((row) => (query['role.id'] ?? row.role_id) === row.role_id)
        .map((row) => ({
          role: { id: row.role_id, ...(names ? { name: queries.role({ id: row.role_id })?.name } : {}) },
          user: { id: row.user_id, ...(names ? { name: queries.user({ id: row.user_id })?.name, domain: { id: 'default', name: 'Default' } } : {}) },
          scope: { project: { id: row.project_id, ...(names ? { name: queries.project({ id: row.project_id })?.name, domain: { id: 'default', name: 'Default' } } : {}) } },
          links: { assignment: `${base}/v3/projects/${row.project_id}/users/${row.user_id}/roles/${row.role_id}` },
        }));
      return { role_assignments: assignments, links: listLinks(base, 'role_assignments') };
    },
  );
};
