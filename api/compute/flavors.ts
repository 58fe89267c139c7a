// Nova flavors: list (summary and detail), show, extra specs, and the admin's create and
// delete. strata keeps no flavor access lists, so a private flavor is seen by admins only.
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { requestMetadata } from '../../application/metadata.js';
import type { Flavor } from '../../domain/compute/flavor.js';
import { DomainError } from '../../domain/decider.js';
import { flavorCreateBody, flavorListQueryOf, flavorListQuerystring, flavorOfCreate } from './flavor-schemas.js';
import { flavorDetail, flavorSummary, type FlavorViewContext } from './flavor-views.js';
import type { ComputeRouteOptions } from './options.js';
import { markerNotFound, pageLinks } from './paging.js';
import { many, named, noContent, one } from '../responses.js';

const flavorParams = z.object({ flavorId: z.string().min(1).max(255) });
const EXTRA_SPECS_ACTION = 'os_compute_api:os-flavor-extra-specs:index';

function isAdmin(request: FastifyRequest): boolean {
  return request.allowed('context_is_admin');
}

/** The caller's own project is the target of Nova's per-project flavor rules. */
function projectTarget(request: FastifyRequest) {
  return { project_id: request.caller.project?.id ?? null };
}

export const flavorRoutes: FastifyPluginAsyncZod<ComputeRouteOptions> = async (app, { base, flavors, flavorCommands }) => {
  const viewContext = (request: FastifyRequest): FlavorViewContext => ({
    base,
    microversion: request.microversion,
    showExtraSpecs: request.allowed(EXTRA_SPECS_ACTION, projectTarget(request)),
  });

  const visibleFlavor = (request: FastifyRequest, flavorId: string): Flavor => {
    const flavor = flavors.flavor(flavorId);
    if (!flavor || (!flavor.isPublic && !isAdmin(request))) throw new DomainError('not_found', `Flavor ${flavorId} could not be found.`);
    return flavor;
  };

  for (const detailed of [false, true]) {
    app.get(
      detailed ? '/flavors/detail' : '/flavors',
      { schema: { summary: detailed ? 'List flavors with details' : 'List flavors', response: { 200: many('flavors', named) }, querystring: flavorListQuerystring }, config: { policy: 'os_compute_api:flavors' } },
      async (request) => {
        request.authorize();
        const query = flavorListQueryOf(request.query, isAdmin(request));
        const page = flavors.list(query);
        if (!page) throw markerNotFound(query.marker ?? '');
        const context = viewContext(request);
        const links = pageLinks(`${base}/v2.1/flavors${detailed ? '/detail' : ''}`, request.query, page, query.limit);
        return {
          flavors: page.map((flavor) => (detailed ? flavorDetail(flavor, context) : flavorSummary(flavor, context))),
          ...(links ? { flavors_links: links } : {}),
        };
      },
    );
  }

  app.get('/flavors/:flavorId', { schema: { summary: 'Show a flavor', response: { 200: one('flavor', named) }, params: flavorParams }, config: { policy: 'os_compute_api:flavors' } }, async (request) => {
    request.authorize();
    return { flavor: flavorDetail(visibleFlavor(request, request.params.flavorId), viewContext(request)) };
  });

  app.get(
    '/flavors/:flavorId/os-extra_specs',
    { schema: { summary: "A flavor's extra specs (strata records none)", response: { 200: z.looseObject({ extra_specs: z.record(z.string(), z.string()) }) }, params: flavorParams }, config: { policy: EXTRA_SPECS_ACTION } },
    async (request) => {
      request.authorize(projectTarget(request));
      visibleFlavor(request, request.params.flavorId);
      return { extra_specs: {} };
    },
  );

  app.get(
    '/flavors/:flavorId/os-flavor-access',
    { schema: { summary: "A private flavor's access list (strata keeps none)", response: { 200: many('flavor_access', {}) }, params: flavorParams }, config: { policy: 'os_compute_api:os-flavor-access' } },
    async (request) => {
      request.authorize(projectTarget(request));
      if (visibleFlavor(request, request.params.flavorId).isPublic) throw new DomainError('not_found', 'Access list not available for public flavors.');
      return { flavor_access: [] };
    },
  );

  app.post(
    '/flavors',
    { schema: { summary: 'Create a flavor', response: { 200: one('flavor', named) }, body: flavorCreateBody }, config: { policy: 'os_compute_api:os-flavor-manage:create' } },
    async (request) => {
      request.authorize();
      const flavor = flavorOfCreate(request.body.flavor, request, randomUUID);
      await flavorCommands.create(flavor, requestMetadata(request.caller, request.id));
      return { flavor: flavorDetail(flavors.flavor(flavor.id) ?? flavor, viewContext(request)) };
    },
  );

  app.delete(
    '/flavors/:flavorId',
    { schema: { summary: 'Delete a flavor', response: { 202: noContent }, params: flavorParams }, config: { policy: 'os_compute_api:os-flavor-manage:delete' } },
    async (request, reply) => {
      request.authorize();
      await flavorCommands.delete(request.params.flavorId, requestMetadata(request.caller, request.id));
      return reply.status(202).send();
    },
  );
};
