// Deactivate / reactivate, and tags one at a time.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requestMetadata } from '../../application/metadata.js';
import { DomainError } from '../../domain/decider.js';
import { checkAttribute } from '../../domain/image/attributes.js';
import { findVisibleImage } from './access.js';
import { imageIdParams } from './images.js';
import type { ImageRouteOptions } from './options.js';
import { noContent } from '../responses.js';

const tagParams = imageIdParams.extend({ tag: z.string().min(1) });

export const imageActionRoutes: FastifyPluginAsyncZod<ImageRouteOptions> = async (app, { queries, commands }) => {
  for (const action of ['deactivate', 'reactivate'] as const) {
    app.post(
      `/v2/images/:imageId/actions/${action}`,
      { schema: { summary: `${action[0]?.toUpperCase()}${action.slice(1)} an image`, response: { 204: noContent }, params: imageIdParams }, config: { policy: action } },
      async (request, reply) => {
        const found = findVisibleImage(request, queries, request.params.imageId);
        request.authorize(found.target);
        await commands.setStatus(found.image.id, action, requestMetadata(request.caller, request.id));
        return reply.status(204).send();
      },
    );
  }

  app.put('/v2/images/:imageId/tags/:tag', { schema: { summary: 'Add a tag', response: { 204: noContent }, params: tagParams }, config: { policy: 'modify_image' } }, async (request, reply) => {
    const found = findVisibleImage(request, queries, request.params.imageId);
    request.authorize(found.target);
    const tags = checkAttribute('tags', [...found.image.tags, request.params.tag]);
    await commands.setTags(found.image.id, tags, requestMetadata(request.caller, request.id));
    return reply.status(204).send();
  });

  app.delete('/v2/images/:imageId/tags/:tag', { schema: { summary: 'Remove a tag', response: { 204: noContent }, params: tagParams }, config: { policy: 'modify_image' } }, async (request, reply) => {
    const found = findVisibleImage(request, queries, request.params.imageId);
    request.authorize(found.target);
    const { tag } = request.params;
    if (!found.image.tags.includes(tag)) throw new DomainError('not_found', `Tag ${tag} not found on image ${found.image.id}.`);
    await commands.setTags(found.image.id, found.image.tags.filter((kept) => kept !== tag), requestMetadata(request.caller, request.id));
    return reply.status(204).send();
  });
};
