// The in-process API for the scheduling routes (hypervisors, availability zones, server
// groups, services) under /compute/v2.1, with an admin and members of two projects.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { useMicroversions } from '../../../api/compute/microversion.js';
import type { ComputeServiceRouteOptions } from '../../../api/compute/services.js';
import { computeServiceRoutes } from '../../../api/compute/services.js';
import { useErrorDialect } from '../../../api/errors.js';
import { HostAdministration } from '../../../application/hosts/host-administration.js';
import { requestMetadata } from '../../../application/metadata.js';
import { hostQueries } from '../../../projections/host-queries.js';
import { openTestApi, type TestApi } from '../../support/api-harness.js';

export interface Caller {
  token: string;
  projectId: string;
}

export interface SchedulingApi {
  api: TestApi;
  admin: Caller;
  alice: Caller;
  bob: Caller;
  /** A request under /compute/v2.1, optionally at a microversion. */
  compute(caller: Caller, method: InjectOptions['method'], path: string, options?: { json?: unknown; version?: string }): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

/** Until the compute service registers os-services itself, the test app does. */
const serviceRoutesScope: FastifyPluginAsyncZod<ComputeServiceRouteOptions> = async (app, { hosts, hostAdministration }) => {
  useErrorDialect(app, 'nova');
  useMicroversions(app);
  await app.register(computeServiceRoutes, { hosts, hostAdministration });
};

/**
 * Nova's admin-only hypervisor and service actions strata's defaults do not list yet (the
 * lead adds them to domain/policy/defaults/nova.ts), with Nova's default rule.
 */
export const MISSING_ADMIN_ACTIONS = [
  ...['list-detail', 'show', 'search', 'uptime'].map((action) => `os_compute_api:os-hypervisors:${action}`),
  'os_compute_api:os-services:list',
  'os_compute_api:os-services:update',
];

export function missingActionsPolicyFile(): string {
  const file = join(mkdtempSync(join(tmpdir(), 'strata-policy-')), 'policy.yaml');
  writeFileSync(file, MISSING_ADMIN_ACTIONS.map((action) => `"${action}": "rule:context_is_admin"\n`).join(''));
  return file;
}

/** With `port`, the API also listens on 127.0.0.1:`port` (for the real `openstack` CLI). */
export async function openSchedulingApi(port?: number): Promise<SchedulingApi> {
  const api = await openTestApi({ policy: { file: missingActionsPolicyFile() }, ...(port === undefined ? {} : { api: { port } }) });
  const { events, projections, readModel } = api.context;
  if (!api.app.routeTable.some((route) => route.url === '/compute/v2.1/os-services')) {
    await api.app.register(serviceRoutesScope, { prefix: '/compute/v2.1', hosts: hostQueries(readModel), hostAdministration: new HostAdministration(events, projections) });
  }
  const { directory, queries } = api.services.identity;
  const metadata = requestMetadata(null, 'scheduling-api-test');
  const memberRole = queries.role({ name: 'member' });
  if (!memberRole) throw new Error('bootstrap created no member role');
  const memberOf = async (project: string, user: string): Promise<Caller> => {
    const projectId = await directory.createProject({ name: project, description: '', enabled: true }, metadata);
    const userId = await directory.createUser({ name: user, password: `${user}-password`, enabled: true, email: null, defaultProjectId: projectId }, metadata);
    await directory.grantRole({ userId, projectId, roleId: memberRole.id }, metadata);
    return { token: await api.login(user, `${user}-password`, project), projectId };
  };
  const adminProject = queries.project({ name: 'admin' });
  if (!adminProject) throw new Error('bootstrap created no admin project');
  if (port !== undefined) await api.app.listen({ host: '127.0.0.1', port });
  return {
    api,
    admin: { token: await api.adminToken(), projectId: adminProject.id },
    alice: await memberOf('project-a', 'alice'),
    bob: await memberOf('project-b', 'bob'),
    compute: (caller, method, path, options = {}) =>
      api.app.inject({
        method,
        url: `/compute/v2.1${path}`,
        headers: {
          'x-auth-token': caller.token,
          ...(options.json !== undefined ? { 'content-type': 'application/json' } : {}),
          ...(options.version !== undefined ? { 'openstack-api-version': `compute ${options.version}` } : {}),
        },
        payload: options.json !== undefined ? JSON.stringify(options.json) : undefined,
      }),
    close: () => api.close(),
  };
}
