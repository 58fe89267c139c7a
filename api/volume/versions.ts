// Cinder version discovery: the root answers 300 Multiple Choices with the one version,
// v3.0, and `/v3/` that version alone. strata implements the 3.0 microversion.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { identified, many } from '../responses.js';

export const VOLUME_MICROVERSION = '3.0';

export function v3Document(base: string) {
  return {
    id: 'v3.0',
    status: 'CURRENT',
    version: VOLUME_MICROVERSION,
    min_version: VOLUME_MICROVERSION,
    updated: '2023-08-31T00:00:00Z',
    links: [
      { rel: 'describedby', type: 'text/html', href: 'https://docs.openstack.org/' },
      { rel: 'self', href: `${base}/v3/` },
    ],
    'media-types': [{ base: 'application/json', type: 'application/vnd.openstack.volume+json;version=3' }],
  };
}

export const volumeVersionRoutes: FastifyPluginAsyncZod<{ base: string }> = async (app, { base }) => {
  app.get('/', { schema: { summary: 'Block storage version discovery', response: { 300: many('versions', identified) } }, config: { policy: null } }, async (_request, reply) =>
    reply.status(300).send({ versions: [v3Document(base)] }),
  );
  for (const path of ['/v3', '/v3/']) {
    app.get(path, { schema: { summary: 'Block storage v3 version document', response: { 200: many('versions', identified) }, hide: path.endsWith('/') }, config: { policy: null } }, async () => ({
      versions: [v3Document(base)],
    }));
  }
};
