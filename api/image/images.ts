// Glance v2 images: create, list, show, update (JSON patch), delete.
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requestMetadata } from '../../application/metadata.js';
import { DomainError } from '../../domain/decider.js';
import { parseImageCreation } from '../../domain/image/creation.js';
import { parsePatch, PATCH_MEDIA_TYPES } from '../../domain/image/json-patch.js';
import { parseListQuery } from '../../domain/image/list-query.js';
import { planPatch } from '../../domain/image/patch-plan.js';
import { canSeeImage } from '../../domain/image/visibility.js';
import type { Visibility } from '../../domain/image/vocabulary.js';
import { IMPORT_METHODS } from '../../domain/image/vocabulary.js';
import type { ImageRecordView } from '../../projections/image-queries.js';
import { writableAttributesOf } from '../../projections/image-queries.js';
import { authorizeRead, findVisibleImage, imageNotFound, viewerOf } from './access.js';
import { listLinks } from './list-links.js';
import { patchDialectOf, requireJson, requireJsonPatch } from './media-types.js';
import type { ImageRouteOptions } from './options.js';
import { assertMayChangeProperties, readablePropertiesFor } from './property-access.js';
import { imageResponse, imageView } from './views.js';
import { many, noContent } from '../responses.js';

export const imageIdParams = z.object({ imageId: z.string().min(1).max(255) });
const rawQuery = z.record(z.string(), z.union([z.string(), z.array(z.string())]));

/** Making an image public or community takes more than modify_image (Glance's extra rules). */
function assertMayPublish(request: FastifyRequest, visibility: Visibility | undefined, target: Record<string, unknown>): void {
  const action = visibility === 'public' ? 'publicize_image' : visibility === 'community' ? 'communitize_image' : null;
  if (action && !request.allowed(action, target)) throw new DomainError('forbidden', `You are not authorized to set image visibility to ${visibility}.`);
}

export const imageRoutes: FastifyPluginAsyncZod<ImageRouteOptions> = async (app, options) => {
  const { base, commands, queries, protections } = options;
  const view = (request: FastifyRequest, image: ImageRecordView) =>
    imageView(image, { readable: readablePropertiesFor(request, protections), directUrl: options.showDirectUrl ? (location) => options.store.directUrl(location) : undefined });
  const reread = (imageId: string) => {
    const image = queries.image(imageId);
    if (!image) throw imageNotFound(imageId);
    return image;
  };

  app.post(
    '/v2/images',
    { schema: { summary: 'Create an image', response: { 201: imageResponse }, body: z.record(z.string(), z.unknown()) }, config: { policy: 'add_image' }, preParsing: [requireJson] },
    async (request, reply) => {
      const creation = parseImageCreation(request.body);
      const owner = creation.owner ?? request.caller.project?.id;
      if (!owner) throw new DomainError('forbidden', 'A project-scoped token is needed to create an image.');
      const target = { owner, project_id: owner, visibility: creation.attributes.visibility };
      request.authorize(target);
      assertMayPublish(request, creation.attributes.visibility, target);
      assertMayChangeProperties(request, protections, Object.keys(creation.properties).map((key) => ({ key, action: 'create' as const })));
      const imageId = await commands.create(creation, owner, requestMetadata(request.caller, request.id));
      return reply
        .status(201)
        .headers({ location: `${base}/v2/images/${imageId}`, 'openstack-image-import-methods': IMPORT_METHODS.join(',') })
        .send(view(request, reread(imageId)));
    },
  );

  app.get('/v2/images', { schema: { summary: 'List images', response: { 200: many('images', { id: z.string() }) }, querystring: rawQuery }, config: { policy: 'get_images' } }, async (request) => {
    request.authorize({ project_id: request.caller.project?.id ?? null });
    const query = parseListQuery(request.query);
    const viewer = viewerOf(request);
    const marker = query.marker === null ? undefined : queries.image(query.marker);
    const markerVisible = marker && canSeeImage({ owner: marker.owner, visibility: marker.visibility as Visibility }, viewer, queries.membership(marker.id, viewer.projectId));
    if (query.marker !== null && !markerVisible) throw new DomainError('invalid', `Marker ${query.marker} could not be found.`);
    const images = queries.list(query, viewer) ?? [];
    return { images: images.map((image) => view(request, image)), ...listLinks(request.url, images, query.limit), schema: '/v2/schemas/images' };
  });

  app.get('/v2/images/:imageId', { schema: { summary: 'Show an image', response: { 200: imageResponse }, params: imageIdParams }, config: { policy: 'get_image' } }, async (request) => {
    const found = findVisibleImage(request, queries, request.params.imageId);
    authorizeRead(request, found);
    return view(request, found.image);
  });

  app.patch(
    '/v2/images/:imageId',
    { schema: { summary: 'Update an image (JSON patch)', consumes: Object.keys(PATCH_MEDIA_TYPES), response: { 200: imageResponse }, params: imageIdParams, body: z.unknown() }, config: { policy: 'modify_image' }, preParsing: [requireJsonPatch] },
    async (request) => {
      const found = findVisibleImage(request, queries, request.params.imageId);
      request.authorize(found.target);
      const dialect = patchDialectOf(request);
      const { image } = found;
      const plan = planPatch(
        { owner: image.owner, attributes: writableAttributesOf(image), properties: image.properties },
        parsePatch(request.body, dialect),
        dialect,
        found.viewer.isAdmin,
      );
      assertMayPublish(request, plan.changes.attributes.visibility, found.target);
      assertMayChangeProperties(request, protections, plan.propertyActions);
      await commands.update(image.id, plan.changes, requestMetadata(request.caller, request.id), plan.owner);
      return view(request, reread(image.id));
    },
  );

  app.delete('/v2/images/:imageId', { schema: { summary: 'Delete an image', response: { 204: noContent }, params: imageIdParams }, config: { policy: 'delete_image' } }, async (request, reply) => {
    const found = findVisibleImage(request, queries, request.params.imageId);
    request.authorize(found.target);
    await commands.delete(found.image.id, requestMetadata(request.caller, request.id));
    return reply.status(204).send();
  });
};
