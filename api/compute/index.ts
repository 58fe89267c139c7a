// The compute service (Nova v2.1 subset) under /compute, answering errors in Nova's
// dialect. Version discovery sits at the root; everything under /v2.1 is shaped by the
// microversion the request names.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { useErrorDialect } from '../errors.js';
import { aggregateRoutes } from './aggregates.js';
import { availabilityZoneRoutes } from './availability-zones.js';
import { flavorRoutes } from './flavors.js';
import { hypervisorRoutes } from './hypervisors.js';
import { instanceActionRoutes } from './instance-actions.js';
import { useMicroversions } from './microversion.js';
import type { ComputeRouteOptions } from './options.js';
import { serverActionRoutes } from './server-actions.js';
import { serverCreateRoutes } from './server-create.js';
import { serverDeleteRoutes } from './server-delete.js';
import { serverGroupRoutes } from './server-groups.js';
import { serverRoutes } from './servers.js';
import { computeServiceRoutes } from './services.js';
import { versionRoutes } from './versions.js';
import { volumeAttachmentRoutes } from './volume-attachments.js';

/** The route options alone: fastify adds its own (prefix) to what a plugin receives, and a child must not inherit them. */
function ownOptions(options: ComputeRouteOptions): ComputeRouteOptions {
  const { base, flavors, flavorCommands, instances, instanceActions, images, launcher, deleter, console, hosts, serverGroups, serverGroupCommands, hostAdministration, volumes, volumeService, snapshotter, stateResetter, imageBase } = options;
  return { base, flavors, flavorCommands, instances, instanceActions, images, launcher, deleter, console, hosts, serverGroups, serverGroupCommands, hostAdministration, volumes, volumeService, snapshotter, stateResetter, imageBase };
}

const v21: FastifyPluginAsyncZod<ComputeRouteOptions> = async (app, options) => {
  useMicroversions(app);
  for (const routes of [flavorRoutes, serverRoutes, serverCreateRoutes, serverDeleteRoutes, serverActionRoutes, hypervisorRoutes, aggregateRoutes, availabilityZoneRoutes, serverGroupRoutes, computeServiceRoutes, instanceActionRoutes, volumeAttachmentRoutes]) {
    await app.register(routes, ownOptions(options));
  }
};

export const computeService: FastifyPluginAsyncZod<ComputeRouteOptions> = async (app, options) => {
  useErrorDialect(app, 'nova');
  await app.register(versionRoutes, { base: options.base });
  await app.register(v21, { prefix: '/v2.1', ...ownOptions(options) });
};
