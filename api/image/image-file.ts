// Image data: upload (PUT, 204), download (GET: 200, 206 for a range, 204 without data),
// and staging for a glance-direct import.
import type { Readable } from 'node:stream';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { requestMetadata } from '../../application/metadata.js';
import { DomainError } from '../../domain/decider.js';
import { findVisibleImage } from './access.js';
import { parseByteRange } from './byte-range.js';
import { imageIdParams } from './images.js';
import { OCTET_STREAM, requireOctetStream } from './media-types.js';
import type { ImageRouteOptions } from './options.js';
import { binaryData, noContent } from '../responses.js';

export const imageFileRoutes: FastifyPluginAsyncZod<ImageRouteOptions> = async (app, { queries, data, store }) => {
  const receivers = [
    { path: 'file', summary: 'Upload image data', receive: data.upload.bind(data) },
    { path: 'stage', summary: 'Stage image data for a glance-direct import', receive: data.stage.bind(data) },
  ] as const;
  for (const { path, summary, receive } of receivers) {
    app.put(
      `/v2/images/:imageId/${path}`,
      { schema: { summary, response: { 204: noContent }, params: imageIdParams }, config: { policy: 'upload_image' }, preParsing: [requireOctetStream] },
      async (request, reply) => {
        const found = findVisibleImage(request, queries, request.params.imageId);
        request.authorize(found.target);
        await receive(found.image.id, request.body as Readable, requestMetadata(request.caller, request.id));
        return reply.status(204).send();
      },
    );
  }

  app.get('/v2/images/:imageId/file', { schema: { summary: 'Download image data', produces: [OCTET_STREAM], response: { 200: binaryData, 204: noContent, 206: binaryData }, params: imageIdParams }, config: { policy: 'download_image' } }, async (request, reply) => {
    const found = findVisibleImage(request, queries, request.params.imageId);
    request.authorize(found.target);
    const { image } = found;
    if (image.status === 'deactivated' && !found.viewer.isAdmin) {
      throw new DomainError('forbidden', 'The requested image has been deactivated. Image data download is forbidden.');
    }
    if (!image.location || image.size === null) return reply.status(204).send();
    const range = parseByteRange(request.headers.range, image.size);
    void reply.header('content-type', OCTET_STREAM);
    if (!range) {
      void reply.headers({ 'content-length': image.size, 'content-md5': image.checksum ?? '' });
      return reply.send(store.read(image.location));
    }
    void reply.status(206).headers({ 'content-length': range.end - range.start + 1, 'content-range': `bytes ${range.start}-${range.end}/${image.size}` });
    return reply.send(store.read(image.location, range));
  });
};
