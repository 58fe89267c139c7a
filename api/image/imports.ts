// Interoperable image import: POST /v2/images/{id}/import starts the import workflow (202).
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requestMetadata } from '../../application/metadata.js';
import { IMPORT_METHODS } from '../../domain/image/vocabulary.js';
import { findVisibleImage } from './access.js';
import { imageIdParams } from './images.js';
import { requireJson } from './media-types.js';
import type { ImageRouteOptions } from './options.js';
import { noContent } from '../responses.js';

const importBody = z.object({ method: z.object({ name: z.enum(IMPORT_METHODS), uri: z.string().max(4096).optional() }) });

export const importRoutes: FastifyPluginAsyncZod<ImageRouteOptions> = async (app, { queries, imports }) => {
  app.post(
    '/v2/images/:imageId/import',
    { schema: { summary: 'Import image data (glance-direct or web-download)', response: { 202: noContent }, params: imageIdParams, body: importBody }, config: { policy: 'modify_image' }, preParsing: [requireJson] },
    async (request, reply) => {
      const found = findVisibleImage(request, queries, request.params.imageId);
      request.authorize(found.target);
      const { name, uri } = request.body.method;
      await imports.start(found.image.id, name, uri, requestMetadata(request.caller, request.id));
      return reply.status(202).send();
    },
  );
};
