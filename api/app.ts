// Builds the HTTP API: one encapsulated fastify plugin per service, zod schemas that
// validate, type and document each route (OpenAPI at /docs).
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { randomUUID } from 'node:crypto';
import './route-config.js';
import { authPlugin } from './auth.js';
import { consoleOptionsOf, consoleRoutes } from './console.js';
import { useErrorDialect } from './errors.js';
import { useStrictJsonBodies } from './json-body.js';
import { healthRoutes, type ReadinessCheck } from './health.js';
import { useMetrics } from './metrics.js';
import { computeService } from './compute/index.js';
import { identityService } from './identity/index.js';
import { imageService } from './image/index.js';
import { opsService } from './ops/index.js';
import { volumeService } from './volume/index.js';
import type { ApiServices } from './services.js';

export interface AppDependencies {
  readiness: ReadinessCheck[];
  /** The OpenStack services; without them only health and docs are served. */
  services?: ApiServices;
  logger?: boolean;
}

export interface RouteEntry {
  method: string;
  url: string;
  /** The declared policy action; undefined means the route forgot to declare one. */
  policy: string | null | undefined;
  /** Left out of the OpenAPI document on purpose (trailing-slash aliases, static assets). */
  hidden: boolean;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Every route registered, with its declared policy action (for the route-table test). */
    routeTable: RouteEntry[];
  }
}

export async function buildApp(deps: AppDependencies): Promise<FastifyInstance> {
  const app = Fastify({
    logger: deps.logger ?? false,
    genReqId: (request) => {
      const given = request.headers['x-openstack-request-id'];
      return typeof given === 'string' && /^req-[0-9a-f-]{36}$/.test(given) ? given : `req-${randomUUID()}`;
    },
    bodyLimit: 1024 * 1024,
    // Glance tags and property names reach 255 characters in a path segment (percent-encoded: more).
    routerOptions: { maxParamLength: 1024 },
  }).withTypeProvider<ZodTypeProvider>();
  const routeTable: RouteEntry[] = [];
  app.decorate('routeTable', routeTable);
  app.addHook('onRoute', (route) => {
    // The API documentation (OpenAPI JSON and its UI) is public by design.
    if (route.url.startsWith('/docs')) route.config = { ...route.config, policy: null };
    for (const method of [route.method].flat()) routeTable.push({ method, url: route.url, policy: route.config?.policy, hidden: route.schema?.hide === true });
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.addHook('onSend', async (request, reply) => {
    void reply.header('x-openstack-request-id', request.id);
  });
  await app.register(swagger, {
    openapi: { info: { title: 'strata', description: 'OpenStack-compatible image and VM lifecycle API', version: '0.1.0' } },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  useErrorDialect(app, 'keystone');
  useStrictJsonBodies(app);
  // Before every other route, so the latency hook sees them all.
  if (deps.services) useMetrics(app, deps.services.metrics);
  await app.register(healthRoutes, { checks: deps.readiness });
  await app.register(consoleRoutes, consoleOptionsOf(deps.services?.ops.config));
  const { services } = deps;
  if (services) {
    await app.register(authPlugin, { tokens: services.tokens, enforcer: services.enforcer });
    await app.register(identityService, { prefix: '/identity', ...services.identity });
    await app.register(imageService, { prefix: '/image', ...services.image });
    await app.register(computeService, { prefix: '/compute', ...services.compute });
    await app.register(volumeService, { prefix: '/volume', ...services.volume });
    await app.register(opsService, { prefix: '/ops', ...services.ops });
  }
  return app;
}
