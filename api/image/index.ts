// The image service (Glance v2) under /image, answering errors in Glance's dialect.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { useErrorDialect } from '../errors.js';
import { imageActionRoutes } from './actions.js';
import { discoveryRoutes } from './discovery.js';
import { imageFileRoutes } from './image-file.js';
import { imageRoutes } from './images.js';
import { importRoutes } from './imports.js';
import { acceptGlanceMediaTypes } from './media-types.js';
import { memberRoutes } from './members.js';
import type { ImageRouteOptions } from './options.js';

export const imageService: FastifyPluginAsyncZod<ImageRouteOptions> = async (app, options) => {
  useErrorDialect(app, 'glance');
  acceptGlanceMediaTypes(app);
  // The prefix applies once, here; passed on, it would nest under itself.
  const { prefix: _prefix, ...routeOptions } = options as ImageRouteOptions & { prefix?: string };
  for (const routes of [discoveryRoutes, imageRoutes, imageFileRoutes, imageActionRoutes, memberRoutes, importRoutes]) await app.register(routes, routeOptions);
};
