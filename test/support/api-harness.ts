// An in-process API over real parts (SQLite event store and read model in a temp dir, the
// run's Temporal dev server) for app.inject tests, with helpers to log in.
import type { FastifyInstance } from 'fastify';
import { mkdtempSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inject } from 'vitest';
import { buildApp } from '../../api/app.js';
import { openApiContext, type ApiContext } from '../../api/context.js';
import { loadAuthorization } from '../../api/policy.js';
import { createServices, type ApiServices } from '../../api/services.js';
import { validateConfig } from '../../config/load.js';
import type { StrataConfig } from '../../config/schema.js';

export const TEST_ADMIN_PASSWORD = 'harness-admin-password';

export interface TestApi {
  app: FastifyInstance;
  context: ApiContext;
  services: ApiServices;
  config: StrataConfig;
  /** Issues a project-scoped token through the real endpoint. */
  login(user: string, password: string, project: string): Promise<string>;
  adminToken(): Promise<string>;
  close(): Promise<void>;
}

export async function openTestApi(overrides: Record<string, unknown> = {}): Promise<TestApi> {
  const config = validateConfig(
    {
      dataDir: mkdtempSync(join(tmpdir(), 'strata-api-')),
      temporal: { address: inject('temporalAddress') },
      identity: { adminPassword: TEST_ADMIN_PASSWORD },
      ...overrides,
    },
    () => 'test',
  );
  const context = await openApiContext(config);
  const services = await createServices(context, loadAuthorization(config, () => undefined));
  const app = await buildApp({ readiness: context.readiness, services });
  const login = async (user: string, password: string, project: string) => {
    const response = await app.inject({
      method: 'POST',
      url: '/identity/v3/auth/tokens?nocatalog',
      payload: {
        auth: {
          identity: { methods: ['password'], password: { user: { name: user, domain: { id: 'default' }, password } } },
          scope: { project: { name: project, domain: { id: 'default' } } },
        },
      },
    });
    if (response.statusCode !== 201) throw new Error(`login ${user}@${project}: ${response.statusCode} ${response.body}`);
    return response.headers['x-subject-token'] as string;
  };
  return {
    app,
    context,
    services,
    config,
    login,
    adminToken: () => login('admin', TEST_ADMIN_PASSWORD, 'admin'),
    async close() {
      await app.close();
      await context.close();
      await rm(config.dataDir, { recursive: true, force: true });
    },
  };
}
