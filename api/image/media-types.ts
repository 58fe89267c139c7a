// Glance's request media types: image data is application/octet-stream, a PATCH is one of
// the two JSON-patch types, any other body is JSON. Checked before the body is read, so a wrong type is a 415
// (with Accept-Patch for PATCH), not a parse error.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { PATCH_MEDIA_TYPES } from '../../domain/image/json-patch.js';
import type { PatchDialect } from '../../domain/image/json-patch.js';
import { HttpError } from '../errors.js';
import { strictJsonParser } from '../json-body.js';

export const OCTET_STREAM = 'application/octet-stream';
const ACCEPT_PATCH = Object.keys(PATCH_MEDIA_TYPES).join(', ');

function mediaTypeOf(request: FastifyRequest): string {
  return (request.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
}

/** Image data reaches the route as the raw request stream (unbuffered, not bound by bodyLimit); JSON patches as parsed JSON. */
export function acceptGlanceMediaTypes(app: FastifyInstance): void {
  app.addContentTypeParser(OCTET_STREAM, (_request, payload, done) => done(null, payload));
  app.addContentTypeParser(Object.keys(PATCH_MEDIA_TYPES), { parseAs: 'buffer' }, strictJsonParser(app));
}

export async function requireJson(request: FastifyRequest): Promise<void> {
  if (mediaTypeOf(request) !== 'application/json') throw new HttpError(415, 'Unsupported Content-Type; send application/json.');
}

export async function requireOctetStream(request: FastifyRequest): Promise<void> {
  if (mediaTypeOf(request) !== OCTET_STREAM) throw new HttpError(415, `Unsupported Content-Type; image data must be sent as ${OCTET_STREAM}.`);
}

export async function requireJsonPatch(request: FastifyRequest): Promise<void> {
  if (!(mediaTypeOf(request) in PATCH_MEDIA_TYPES)) {
    throw new HttpError(415, `Unsupported Content-Type for PATCH; use one of: ${ACCEPT_PATCH}.`, { 'Accept-Patch': ACCEPT_PATCH });
  }
}

export function patchDialectOf(request: FastifyRequest): PatchDialect {
  return PATCH_MEDIA_TYPES[mediaTypeOf(request) as keyof typeof PATCH_MEDIA_TYPES];
}
