// Nova version discovery: the root lists v2.0 (deprecated) and v2.1 (current, with its
// microversion range); clients read `version`/`min_version` to negotiate.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { MAX_MICROVERSION, MIN_MICROVERSION } from './microversion.js';
import { identified, many, one } from '../responses.js';

const V21_UPDATED = '2013-07-23T11:33:21Z';

export function v21Document(base: string) {
  return {
    id: 'v2.1',
    status: 'CURRENT',
    version: MAX_MICROVERSION,
    min_version: MIN_MICROVERSION,
    updated: V21_UPDATED,
    links: [
      { rel: 'self', href: `${base}/v2.1/` },
      { rel: 'describedby', type: 'text/html', href: 'http://docs.openstack.org/' },
    ],
    'media-types': [{ base: 'application/json', type: 'application/vnd.openstack.compute+json;version=2.1' }],
  };
}

function v20Summary(base: string) {
  return { id: 'v2.0', status: 'DEPRECATED', version: '', min_version: '', updated: '2025-07-04T12:00:00Z', links: [{ rel: 'self', href: `${base}/v2/` }] };
}

export const versionRoutes: FastifyPluginAsyncZod<{ base: string }> = async (app, { base }) => {
  app.get('/', { schema: { summary: 'Compute version discovery', response: { 200: many('versions', identified) } }, config: { policy: null } }, async () => {
    const { id, status, version, min_version, updated } = v21Document(base);
    return { versions: [v20Summary(base), { id, status, version, min_version, updated, links: [{ rel: 'self', href: `${base}/v2.1/` }] }] };
  });
  for (const path of ['/v2.1', '/v2.1/']) {
    app.get(path, { schema: { summary: 'Compute v2.1 version document', response: { 200: one('version', identified) }, hide: path.endsWith('/') }, config: { policy: null } }, async () => ({
      version: v21Document(base),
    }));
  }
};
