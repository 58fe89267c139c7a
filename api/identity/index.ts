// The identity service (Keystone v3 subset) under /identity, answering errors in
// Keystone's dialect.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { useErrorDialect } from '../errors.js';
import { discoveryRoutes } from './discovery.js';
import type { IdentityRouteOptions } from './options.js';
import { projectRoutes } from './projects.js';
import { roleRoutes } from './roles.js';
import { tokenRoutes } from './tokens.js';
import { userRoutes } from './users.js';

export const identityService: FastifyPluginAsyncZod<IdentityRouteOptions> = async (app, options) => {
  useErrorDialect(app, 'keystone');
  const { base, apiBase, region, tokens, directory, queries } = options;
  for (const routes of [discoveryRoutes, tokenRoutes, projectRoutes, userRoutes, roleRoutes]) {
    await app.register(routes, { base, apiBase, region, tokens, directory, queries });
  }
};
