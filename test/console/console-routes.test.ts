// The console's static routes: the built page and its assets with a same-origin CSP, a
// clear 503 before `npm run build:console`, no path outside the build directory, and the
// deployment settings the page reads.
import Fastify, { type FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../api/app.js';
import { consoleRoutes } from '../../api/console.js';

let work: string;
const apps: FastifyInstance[] = [];

async function consoleApp(distDir: string): Promise<FastifyInstance> {
  const app = Fastify();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  await app.register(consoleRoutes, { distDir, temporalUiUrl: 'http://127.0.0.1:8233', temporalNamespace: 'default' });
  apps.push(app);
  return app;
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'strata-console-routes-'));
  await mkdir(join(work, 'dist/assets'), { recursive: true });
  await writeFile(join(work, 'dist/index.html'), '<!doctype html><title>console</title>');
  await writeFile(join(work, 'dist/assets/index-abc123.js'), 'console.log(1)');
  await writeFile(join(work, 'secret.txt'), 'outside the build');
});
afterAll(async () => {
  for (const app of apps) await app.close();
  await rm(work, { recursive: true, force: true });
});

describe('console routes', () => {
  it('serves the page with a same-origin Content-Security-Policy', async () => {
    const app = await consoleApp(join(work, 'dist'));
    const page = await app.inject({ method: 'GET', url: '/console/' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.body).toContain('<title>console</title>');
    const csp = String(page.headers['content-security-policy']);
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|https?:/);
    expect(page.headers['cache-control']).toBe('no-cache');
    const redirect = await app.inject({ method: 'GET', url: '/console' });
    expect([redirect.statusCode, redirect.headers.location]).toEqual([301, '/console/']);
  });

  it('serves hashed assets as immutable and answers 404 for a missing one', async () => {
    const app = await consoleApp(join(work, 'dist'));
    const asset = await app.inject({ method: 'GET', url: '/console/assets/index-abc123.js' });
    expect(asset.statusCode).toBe(200);
    expect(asset.headers['content-type']).toMatch(/javascript/);
    expect(asset.headers['cache-control']).toContain('immutable');
    expect((await app.inject({ method: 'GET', url: '/console/assets/missing.js' })).statusCode).toBe(404);
  });

  it('never serves a file outside the build directory', async () => {
    const app = await consoleApp(join(work, 'dist'));
    for (const url of ['/console/../secret.txt', '/console/%2e%2e/secret.txt', '/console/assets/%2e%2e%2f%2e%2e%2fsecret.txt', '/console/..%5csecret.txt']) {
      const response = await app.inject({ method: 'GET', url });
      expect(response.body, url).not.toContain('outside the build');
      expect(response.statusCode, url).toBeGreaterThanOrEqual(400);
      expect(response.statusCode, url).toBeLessThan(500);
    }
  });

  it('answers 503 naming the build command while the console is not built', async () => {
    const app = await consoleApp(join(work, 'not-built'));
    for (const url of ['/console/', '/console/assets/index-abc123.js']) {
      const response = await app.inject({ method: 'GET', url });
      expect(response.statusCode, url).toBe(503);
      expect(response.body).toContain('npm run build:console');
    }
  });

  it('tells the page where the Temporal UI is', async () => {
    const app = await consoleApp(join(work, 'not-built'));
    const settings = await app.inject({ method: 'GET', url: '/console/settings.json' });
    expect(settings.json()).toEqual({ temporalUiUrl: 'http://127.0.0.1:8233', temporalNamespace: 'default' });
  });

  it('is registered by the API with every route public', async () => {
    const app = await buildApp({ readiness: [] });
    apps.push(app);
    const consoleRoutesOfApp = app.routeTable.filter((route) => route.url.startsWith('/console'));
    expect(consoleRoutesOfApp.map((route) => `${route.method} ${route.url}`)).toEqual(expect.arrayContaining(['GET /console/', 'GET /console/*', 'GET /console/settings.json']));
    expect(consoleRoutesOfApp.every((route) => route.policy === null)).toBe(true);
    expect((await app.inject({ method: 'GET', url: '/console/settings.json' })).json()).toEqual({ temporalUiUrl: null, temporalNamespace: 'default' });
  });
});
