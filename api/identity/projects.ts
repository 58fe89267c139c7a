// Keystone v3 projects: list (?name=), show, create, update, delete — admin by default.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requestMetadata } from '../../application/metadata.js';
import { DomainError } from '../../domain/decider.js';
import { directoryListQuery, matchesListQuery } from './list-query.js';
import type { IdentityRouteOptions } from './options.js';
import { listLinks, projectView } from './views.js';
import { many, named, noContent, one } from '../responses.js';

const idParams = z.object({ projectId: z.string().min(1).max(255) });
const projectBody = z.object({
  name: z.string().min(1).max(64),
  description: z.string().max(65535).nullish(),
  enabled: z.boolean().optional(),
  domain_id: z.literal('default').optional(),
  is_domain: z.literal(false).optional(),
  parent_id: z.literal('default').nullish(),
  tags: z.array(z.string()).max(0).optional(),
  options: z.object({}).strict().optional(),
});

export const projectRoutes: FastifyPluginAsyncZod<IdentityRouteOptions> = async (app, { base, directory, queries }) => {
  const found = (projectId: string) => {
    const row = queries.project({ id: projectId });
    if (!row) throw new DomainError('not_found', `Could not find project: ${projectId}.`);
    return row;
  };

  app.get(
    '/v3/projects',
    {
      schema: { summary: 'List projects', response: { 200: many('projects', named) }, querystring: directoryListQuery },
      config: { policy: 'identity:list_projects' },
    },
    async (request) => {
      request.authorize({ 'target.domain_id': request.query.domain_id ?? 'default' });
      const projects = queries.projects().filter((row) => matchesListQuery(row, request.query));
      return { projects: projects.map((row) => projectView(base, row)), links: listLinks(base, 'projects') };
    },
  );

  app.get('/v3/projects/:projectId', { schema: { summary: 'Show a project', response: { 200: one('project', named) }, params: idParams }, config: { policy: 'identity:get_project' } }, async (request) => {
    request.authorize({ 'target.project.id': request.params.projectId });
    return { project: projectView(base, found(request.params.projectId)) };
  });

  app.post(
    '/v3/projects',
    { schema: { summary: 'Create a project', response: { 201: one('project', named) }, body: z.object({ project: projectBody }) }, config: { policy: 'identity:create_project' } },
    async (request, reply) => {
      request.authorize({ 'target.project.domain_id': 'default' });
      const { name, description, enabled } = request.body.project;
      const projectId = await directory.createProject({ name, description: description ?? '', enabled: enabled ?? true }, requestMetadata(request.caller, request.id));
      return reply.status(201).send({ project: projectView(base, found(projectId)) });
    },
  );

  app.patch(
    '/v3/projects/:projectId',
    {
      schema: { summary: 'Update a project', response: { 200: one('project', named) }, params: idParams, body: z.object({ project: projectBody.partial() }) },
      config: { policy: 'identity:update_project' },
    },
    async (request) => {
      request.authorize({ 'target.project.id': request.params.projectId });
      const { name, description, enabled } = request.body.project;
      await directory.updateProject(
        { projectId: found(request.params.projectId).id, name, description: description ?? undefined, enabled },
        requestMetadata(request.caller, request.id),
      );
      return { project: projectView(base, found(request.params.projectId)) };
    },
  );

  app.delete(
    '/v3/projects/:projectId',
    { schema: { summary: 'Delete a project', response: { 204: noContent }, params: idParams }, config: { policy: 'identity:delete_project' } },
    async (request, reply) => {
      request.authorize({ 'target.project.id': request.params.projectId });
      await directory.deleteProject(found(request.params.projectId).id, requestMetadata(request.caller, request.id));
      return reply.status(204).send();
    },
  );
};
