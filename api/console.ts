// The operator console (console/, a Vite + React build in console/dist) served by the API
// under /console/, so it shares the API's origin and its Keystone login. The pages are
// public (they hold no data; every call they make carries the user's token) and locked
// to their own origin by a Content-Security-Policy.
import fastifyStatic from '@fastify/static';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { temporalUiUrl } from '../config/paths.js';
import type { StrataConfig } from '../config/schema.js';
import { rawBody } from './responses.js';

export interface ConsoleOptions {
  /** Where `npm run build:console` wrote the console (default console/dist). */
  distDir?: string;
  /** The Temporal UI the console links workflows to; null when strata does not know one. */
  temporalUiUrl: string | null;
  temporalNamespace: string;
}

/** The console's view of the deployment; without a config (a health-only API) it links nowhere. */
export function consoleOptionsOf(config: StrataConfig | undefined): ConsoleOptions {
  return { temporalUiUrl: config ? temporalUiUrl(config) : null, temporalNamespace: config?.temporal.namespace ?? 'default' };
}

export const CONSOLE_DIST_DIR = fileURLToPath(new URL('../console/dist/', import.meta.url));

/** Scripts, styles, images and API calls from this origin only; no framing, no plugins. */
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const settingsResponse = z.object({ temporalUiUrl: z.string().nullable(), temporalNamespace: z.string() });
const assetParams = z.object({ '*': z.string().max(1024) });
const PUBLIC = { policy: null };
/** The routes set cache-control themselves (send's default would override it). */
const OWN_CACHE_CONTROL = { cacheControl: false };

export const consoleRoutes: FastifyPluginAsyncZod<ConsoleOptions> = async (app, { distDir = CONSOLE_DIST_DIR, temporalUiUrl, temporalNamespace }) => {
  // serve: false — only reply.sendFile; the routes below declare their policy like every other route.
  await app.register(fastifyStatic, { root: distDir, serve: false });

  app.addHook('onSend', async (_request, reply) => {
    void reply.header('content-security-policy', CONTENT_SECURITY_POLICY);
    void reply.header('x-content-type-options', 'nosniff');
    void reply.header('referrer-policy', 'no-referrer');
  });

  // Checked per request, so a console built after the API started is served without a restart.
  app.addHook('onRequest', async (request, reply) => {
    if (request.url.startsWith('/console/settings.json') || existsSync(join(distDir, 'index.html'))) return;
    return reply.code(503).type('text/plain; charset=utf-8').send('The operator console has not been built: run npm run build:console\n');
  });

  app.get('/console', { schema: { hide: true }, config: PUBLIC }, (_request, reply) => reply.redirect('/console/', 301));

  app.get('/console/', { schema: { summary: 'The operator console (web UI)', produces: ['text/html'], response: { 200: rawBody('The console page (index.html)') } }, config: PUBLIC }, (_request, reply) =>
    reply.header('cache-control', 'no-cache').sendFile('index.html', OWN_CACHE_CONTROL),
  );

  app.get(
    '/console/settings.json',
    { schema: { summary: 'What the console needs to know about this deployment', response: { 200: settingsResponse } }, config: PUBLIC },
    () => ({ temporalUiUrl, temporalNamespace }),
  );

  // Built assets carry a content hash in their names, so they never change under one URL.
  app.get('/console/*', { schema: { hide: true, params: assetParams }, config: PUBLIC }, (request, reply) =>
    reply.header('cache-control', request.params['*'].startsWith('assets/') ? 'public, max-age=31536000, immutable' : 'no-cache').sendFile(request.params['*'], OWN_CACHE_CONTROL),
  );
};
