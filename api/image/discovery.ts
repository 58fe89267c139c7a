// Glance version discovery, the published schemas and the import methods on offer.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { IMPORT_METHODS } from '../../domain/image/vocabulary.js';
import type { ImageRouteOptions } from './options.js';
import { imageSchema, imagesSchema, memberSchema, membersSchema } from './schemas.js';
import { z } from 'zod';
import { many, shape } from '../responses.js';

/** Newest first; clients pick the highest v2 they know. */
const VERSIONS = [
  ['v2.16', 'CURRENT'],
  ['v2.15', 'SUPPORTED'],
  ['v2.9', 'SUPPORTED'],
  ['v2.7', 'SUPPORTED'],
  ['v2.6', 'SUPPORTED'],
  ['v2.5', 'SUPPORTED'],
  ['v2.4', 'SUPPORTED'],
  ['v2.3', 'SUPPORTED'],
  ['v2.2', 'SUPPORTED'],
  ['v2.1', 'SUPPORTED'],
  ['v2.0', 'SUPPORTED'],
] as const;

function versions(base: string) {
  return { versions: VERSIONS.map(([id, status]) => ({ id, status, links: [{ rel: 'self', href: `${base}/v2/` }] })) };
}

const versionList = many('versions', { id: z.string(), status: z.string() });

const SCHEMAS = { image: imageSchema, images: imagesSchema, member: memberSchema, members: membersSchema } as const;

export const discoveryRoutes: FastifyPluginAsyncZod<ImageRouteOptions> = async (app, { base }) => {
  app.get('/', { schema: { summary: 'Image API versions (multiple choices)', response: { 300: versionList } }, config: { policy: null } }, async (_request, reply) =>
    reply.status(300).send(versions(base)),
  );
  app.get('/versions', { schema: { summary: 'Image API versions', response: { 200: versionList } }, config: { policy: null } }, async () => versions(base));

  for (const [name, schema] of Object.entries(SCHEMAS)) {
    app.get(`/v2/schemas/${name}`, { schema: { summary: `JSON schema of ${name}`, response: { 200: shape({ name: z.string(), properties: z.record(z.string(), z.unknown()) }) } }, config: { policy: null } }, async () => schema());
  }

  app.get('/v2/info/import', { schema: { summary: 'Import methods available', response: { 200: z.looseObject({ 'import-methods': shape({ value: z.array(z.string()) }) }) } }, config: { policy: null } }, async () => ({
    'import-methods': { description: 'Import methods available.', type: 'array', value: [...IMPORT_METHODS] },
  }));
};
