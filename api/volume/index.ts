// The block-storage service (Cinder v3 subset) under /volume, answering errors in
// Cinder's dialect (Nova's fault names). Version discovery sits at the root; the v3
// routes carry the caller's project in their path, as Cinder's do.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { DomainError } from '../../domain/decider.js';
import { useErrorDialect } from '../errors.js';
import type { VolumeRouteOptions } from './options.js';
import { VOLUME_MICROVERSION, volumeVersionRoutes } from './versions.js';
import { volumeRoutes } from './volumes.js';

const projectParams = z.object({ projectId: z.string() });

/** The route options alone: fastify adds its own (prefix) to what a plugin receives. */
function ownOptions({ base, volumes, volumeService, node, availabilityZone, images }: VolumeRouteOptions): VolumeRouteOptions {
  return { base, volumes, volumeService, node, availabilityZone, images };
}

const v3: FastifyPluginAsyncZod<VolumeRouteOptions> = async (app, options) => {
  app.addHook('onSend', async (_request, reply) => {
    void reply.header('openstack-api-version', `volume ${VOLUME_MICROVERSION}`);
    void reply.header('vary', 'OpenStack-API-Version');
  });
  // Cinder refuses a path naming another project than the token's ("Malformed request url", 400).
  app.addHook('preHandler', async (request) => {
    const { projectId } = projectParams.parse(request.params);
    if (projectId !== request.caller.project?.id) throw new DomainError('invalid', 'Malformed request url');
  });
  await app.register(volumeRoutes, ownOptions(options));
};

export const volumeService: FastifyPluginAsyncZod<VolumeRouteOptions> = async (app, options) => {
  useErrorDialect(app, 'nova');
  await app.register(volumeVersionRoutes, { base: options.base });
  await app.register(v3, { prefix: '/v3/:projectId', ...ownOptions(options) });
};
