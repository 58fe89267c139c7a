// Cinder v3 volumes: create (202, status creating until the storage node made the file),
// list (summary and detail, newest first), show and delete. Another project's volume is
// 404 to all but admins, as Cinder's project-scoped lookup answers.
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { requestMetadata } from '../../application/metadata.js';
import { DomainError } from '../../domain/decider.js';
import type { VolumeRecord } from '../../projections/volume-queries.js';
import type { VolumeRouteOptions } from './options.js';
import { refuseUnsupportedSources, volumeCreateBody, volumeSizeOf } from './schemas.js';
import { volumeSourceImage } from './volume-image.js';
import { volumeDetail, volumeSummary } from './views.js';
import { identified, many, noContent, one } from '../responses.js';

const volumeParams = z.object({ projectId: z.string(), volumeId: z.string().max(255) });
const listQuerystring = z.object({ all_tenants: z.string().optional(), project_id: z.string().optional(), limit: z.string().optional(), marker: z.string().optional() }).loose();
const MAX_LIMIT = 1000;

function volumeNotFound(volumeId: string): DomainError {
  return new DomainError('not_found', `Volume ${volumeId} could not be found.`);
}

function isAdmin(request: FastifyRequest): boolean {
  return request.allowed('context_is_admin');
}

function limitOf(limit: string | undefined): number {
  if (limit === undefined) return MAX_LIMIT;
  if (!/^[0-9]+$/.test(limit)) throw new DomainError('invalid', `Invalid input received: limit must be a non-negative integer, not ${limit}.`);
  return Math.min(Number(limit), MAX_LIMIT);
}

export const volumeRoutes: FastifyPluginAsyncZod<VolumeRouteOptions> = async (app, { base, volumes, volumeService, node, availabilityZone, images }) => {
  const viewContext = (request: FastifyRequest) => ({ base, isAdmin: isAdmin(request) });

  const findVolume = (request: FastifyRequest, volumeId: string): VolumeRecord => {
    const record = volumes.volume(volumeId);
    if (!record || (record.state.request.projectId !== request.caller.project?.id && !isAdmin(request))) throw volumeNotFound(volumeId);
    return record;
  };

  app.post('/volumes', { schema: { summary: 'Create a volume', response: { 202: one('volume', identified) }, body: volumeCreateBody }, config: { policy: 'volume:create' } }, async (request, reply) => {
    const projectId = request.caller.project?.id ?? '';
    request.authorize({ project_id: projectId });
    const body = request.body.volume;
    refuseUnsupportedSources(body);
    const sizeGb = volumeSizeOf(body.size);
    const image = body.imageRef == null ? null : volumeSourceImage(request, images, body.imageRef, sizeGb);
    const zone = body.availability_zone ?? availabilityZone;
    if (zone !== availabilityZone) throw new DomainError('invalid', `Invalid input received: Availability zone '${zone}' is invalid.`);
    const volumeId = randomUUID();
    await volumeService.create(
      {
        volumeId,
        projectId,
        userId: request.caller.userId,
        name: body.name ?? body.display_name ?? null,
        description: body.description ?? body.display_description ?? null,
        sizeGb,
        availabilityZone: zone,
        node,
        metadata: body.metadata ?? {},
        createdAt: new Date().toISOString(),
        image,
      },
      requestMetadata(request.caller, request.id),
    );
    const record = volumes.volume(volumeId);
    if (!record) throw new Error(`volume ${volumeId} was recorded but the read model does not show it`);
    return reply.status(202).send({ volume: volumeDetail(record, viewContext(request)) });
  });

  for (const detailed of [false, true]) {
    app.get(
      detailed ? '/volumes/detail' : '/volumes',
      { schema: { summary: detailed ? 'List volumes with details' : 'List volumes', response: { 200: many('volumes', identified) }, querystring: listQuerystring }, config: { policy: 'volume:get_all' } },
      async (request) => {
        const ownProject = request.caller.project?.id ?? '';
        request.authorize({ project_id: ownProject });
        const allTenants = request.query.all_tenants !== undefined && !['0', 'false', 'False'].includes(request.query.all_tenants) && isAdmin(request);
        const page = volumes.list({ projectId: allTenants ? (request.query.project_id ?? null) : ownProject, marker: request.query.marker ?? null, limit: limitOf(request.query.limit) });
        if (!page) throw new DomainError('invalid', `Invalid input received: marker [${request.query.marker ?? ''}] not found`);
        const context = viewContext(request);
        return { volumes: page.map((record) => (detailed ? volumeDetail(record, context) : volumeSummary(record, context))) };
      },
    );
  }

  app.get('/volumes/:volumeId', { schema: { summary: 'Show a volume', response: { 200: one('volume', identified) }, params: volumeParams }, config: { policy: 'volume:get' } }, async (request) => {
    const record = findVolume(request, request.params.volumeId);
    request.authorize({ project_id: record.state.request.projectId });
    return { volume: volumeDetail(record, viewContext(request)) };
  });

  app.delete('/volumes/:volumeId', { schema: { summary: 'Delete a volume', response: { 202: noContent }, params: volumeParams }, config: { policy: 'volume:delete' } }, async (request, reply) => {
    const record = findVolume(request, request.params.volumeId);
    request.authorize({ project_id: record.state.request.projectId });
    await volumeService.delete(record.id, requestMetadata(request.caller, request.id));
    return reply.status(202).send();
  });
};
