// The in-process API for the scheduling routes (hypervisors, availability zones, server
// groups, services) under /compute/v2.1, with an admin and members of two projects.
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { requestMetadata } from '../../../application/metadata.js';
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


/** With `port`, the API also listens on 127.0.0.1:`port` (for the real `openstack` CLI). */
export async function openSchedulingApi(port?: number): Promise<SchedulingApi> {
  const api = await openTestApi(port === undefined ? {} : { api: { port } });
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
