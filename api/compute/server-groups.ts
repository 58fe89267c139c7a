// Nova's os-server-groups: create, list, show and delete. Before microversion 2.64 a group
// has a one-element `policies` list (soft policies from 2.15); from 2.64 a `policy` and
// `rules` (`max_server_per_host` for anti-affinity). Another project's group is 404 to
// anyone but an admin, as servers are.
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { ServerGroupCommands } from '../../application/hosts/server-group-commands.js';
import { requestMetadata } from '../../application/metadata.js';
import type { ServerGroup } from '../../domain/compute/server-group.js';
import { SERVER_GROUP_POLICIES } from '../../domain/compute/server-group.js';
import { DomainError } from '../../domain/decider.js';
import { PolicyForbiddenError } from '../../domain/policy/errors.js';
import type { ServerGroupQueries, ServerGroupRecord } from '../../projections/server-group-queries.js';
import type { Microversion } from './microversion.js';
import { many, named, noContent, one } from '../responses.js';

export interface ServerGroupRouteOptions {
  serverGroups: ServerGroupQueries;
  serverGroupCommands: ServerGroupCommands;
}

const ALL_PROJECTS_ACTION = 'os_compute_api:os-server-groups:index:all_projects';
const HARD_POLICIES = ['affinity', 'anti-affinity'] as const;

const name = z.string().min(1).max(255);
const legacyCreation = (policies: readonly ServerGroup['policy'][]) =>
  z.strictObject({ server_group: z.strictObject({ name, policies: z.array(z.enum(policies)).length(1) }) });
const currentCreation = z.strictObject({
  server_group: z.strictObject({
    name,
    policy: z.enum(SERVER_GROUP_POLICIES),
    rules: z.strictObject({ max_server_per_host: z.coerce.number().int().min(1) }).optional(),
  }),
});

/** The group a create body asks for, validated as the microversion defines the body. */
function creationOf(body: unknown, microversion: Microversion): Pick<ServerGroup, 'name' | 'policy' | 'maxServerPerHost'> {
  const invalid = (error: z.ZodError) => new DomainError('invalid', `Invalid input for field/attribute server_group: ${z.prettifyError(error).replace(/\n\s*/g, ' ')}`);
  if (!microversion.atLeast('2.64')) {
    const parsed = legacyCreation(microversion.atLeast('2.15') ? SERVER_GROUP_POLICIES : HARD_POLICIES).safeParse(body);
    if (!parsed.success) throw invalid(parsed.error);
    const [policy] = parsed.data.server_group.policies as [ServerGroup['policy']];
    return { name: parsed.data.server_group.name, policy, maxServerPerHost: null };
  }
  const parsed = currentCreation.safeParse(body);
  if (!parsed.success) throw invalid(parsed.error);
  const { name: groupName, policy, rules } = parsed.data.server_group;
  if (rules && policy !== 'anti-affinity') throw new DomainError('invalid', 'Only anti-affinity policy supports rules.');
  return { name: groupName, policy, maxServerPerHost: rules?.max_server_per_host ?? null };
}

function groupView(group: ServerGroupRecord, microversion: Microversion) {
  const common = { id: group.groupId, name: group.name, members: group.members };
  const owner = { project_id: group.projectId, user_id: group.userId };
  if (microversion.atLeast('2.64')) {
    const rules = group.policy === 'anti-affinity' && group.maxServerPerHost !== null ? { max_server_per_host: group.maxServerPerHost } : {};
    return { ...common, policy: group.policy, rules, ...owner };
  }
  return { ...common, policies: [group.policy], metadata: {}, ...(microversion.atLeast('2.13') ? owner : {}) };
}

const groupParams = z.object({ groupId: z.string().min(1).max(255) });
const listQuery = z.looseObject({ all_projects: z.string().optional(), limit: z.coerce.number().int().min(0).optional(), offset: z.coerce.number().int().min(0).optional() });

export const serverGroupRoutes: FastifyPluginAsyncZod<ServerGroupRouteOptions> = async (app, { serverGroups, serverGroupCommands }) => {
  /** The group if the caller's project owns it (or the caller is an admin); else 404, as if it did not exist. */
  const visibleGroup = (request: FastifyRequest, groupId: string): ServerGroupRecord => {
    const group = serverGroups.group(groupId);
    if (!group || (group.projectId !== request.caller.project?.id && !request.allowed('context_is_admin'))) {
      throw new DomainError('not_found', `Server group ${groupId} could not be found.`);
    }
    request.authorize({ project_id: group.projectId, user_id: group.userId });
    return group;
  };

  app.post(
    '/os-server-groups',
    { schema: { summary: 'Create a server group', response: { 200: one('server_group', named) }, body: z.unknown() }, config: { policy: 'os_compute_api:os-server-groups:create' } },
    async (request) => {
      const projectId = request.caller.project?.id;
      if (!projectId) throw new DomainError('forbidden', 'A project-scoped token is needed to create a server group.');
      request.authorize({ project_id: projectId, user_id: request.caller.userId });
      const creation = creationOf(request.body, request.microversion);
      const groupId = randomUUID();
      await serverGroupCommands.create({ groupId, ...creation, projectId, userId: request.caller.userId, createdAt: new Date().toISOString() }, requestMetadata(request.caller, request.id));
      const created = serverGroups.group(groupId);
      if (!created) throw new Error(`server group ${groupId} is not in the read model after its creation`);
      return { server_group: groupView(created, request.microversion) };
    },
  );

  app.get(
    '/os-server-groups',
    { schema: { summary: 'List server groups', response: { 200: many('server_groups', named) }, querystring: listQuery }, config: { policy: 'os_compute_api:os-server-groups:index' } },
    async (request) => {
      const projectId = request.caller.project?.id ?? null;
      request.authorize({ project_id: projectId });
      // As Nova: the parameter's presence asks for every project, whatever its value.
      const allProjects = request.query.all_projects !== undefined;
      if (allProjects && !request.allowed(ALL_PROJECTS_ACTION, { project_id: projectId })) throw new PolicyForbiddenError(ALL_PROJECTS_ACTION);
      const groups = allProjects ? serverGroups.list(null) : projectId === null ? [] : serverGroups.list(projectId);
      const offset = request.query.offset ?? 0;
      const page = groups.slice(offset, request.query.limit === undefined ? undefined : offset + request.query.limit);
      return { server_groups: page.map((group) => groupView(group, request.microversion)) };
    },
  );

  app.get(
    '/os-server-groups/:groupId',
    { schema: { summary: 'Show a server group', response: { 200: one('server_group', named) }, params: groupParams }, config: { policy: 'os_compute_api:os-server-groups:show' } },
    async (request) => ({ server_group: groupView(visibleGroup(request, request.params.groupId), request.microversion) }),
  );

  app.delete(
    '/os-server-groups/:groupId',
    { schema: { summary: 'Delete a server group', response: { 204: noContent }, params: groupParams }, config: { policy: 'os_compute_api:os-server-groups:delete' } },
    async (request, reply) => {
      const group = visibleGroup(request, request.params.groupId);
      await serverGroupCommands.delete(group.groupId, requestMetadata(request.caller, request.id));
      return reply.status(204).send();
    },
  );
};
