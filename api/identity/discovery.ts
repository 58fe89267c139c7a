// Keystone version discovery, the default domain, and the projects a token may scope to.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { DomainError } from '../../domain/decider.js';
import { DEFAULT_DOMAIN } from '../../domain/identity/directory.js';
import type { IdentityRouteOptions } from './options.js';
import { domainView, listLinks, projectView } from './views.js';
import { identified, many, named, one, shape } from '../responses.js';

const MEDIA_TYPES = [{ base: 'application/json', type: 'application/vnd.openstack.identity-v3+json' }];

function versionDocument(base: string) {
  return { id: 'v3.14', status: 'stable', updated: '2020-04-07T00:00:00Z', links: [{ rel: 'self', href: `${base}/v3/` }], 'media-types': MEDIA_TYPES };
}

export const discoveryRoutes: FastifyPluginAsyncZod<IdentityRouteOptions> = async (app, { base, queries }) => {
  for (const path of ['/', '/v3', '/v3/']) {
    app.get(path, { schema: { summary: 'Identity version discovery', response: { 200: one('version', identified), 300: one('versions', { values: z.array(shape(identified)) }) }, hide: path !== '/' && path !== '/v3' }, config: { policy: null } }, async (_request, reply) =>
      path === '/' ? reply.status(300).send({ versions: { values: [versionDocument(base)] } }) : { version: versionDocument(base) },
    );
  }

  app.get('/v3/domains', { schema: { summary: 'List domains', response: { 200: many('domains', named) }, querystring: z.object({ name: z.string().optional() }) }, config: { policy: 'identity:list_domains' } }, async (request) => {
    request.authorize();
    const matches = request.query.name === undefined || request.query.name === DEFAULT_DOMAIN.name;
    return { domains: matches ? [domainView(base)] : [], links: listLinks(base, 'domains') };
  });

  app.get(
    '/v3/domains/:domainId',
    { schema: { summary: 'Show a domain', response: { 200: one('domain', named) }, params: z.object({ domainId: z.string().max(255) }) }, config: { policy: 'identity:get_domain' } },
    async (request) => {
      request.authorize({ 'target.domain.id': request.params.domainId });
      if (request.params.domainId !== DEFAULT_DOMAIN.id) throw new DomainError('not_found', `Could not find domain: ${request.params.domainId}.`);
      return { domain: domainView(base) };
    },
  );

  app.get('/v3/auth/projects', { schema: { summary: 'Projects the token may scope to', response: { 200: many('projects', named) } }, config: { policy: 'identity:get_auth_projects' } }, async (request) => {
    request.authorize({ 'target.user.id': request.caller.userId });
    return { projects: queries.projectsOfUser(request.caller.userId).map((row) => projectView(base, row)), links: listLinks(base, 'auth/projects') };
  });
};
