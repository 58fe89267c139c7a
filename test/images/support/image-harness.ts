// The in-process API with three callers for image tests: the admin, and members of two
// ordinary projects (alice in project-a, bob in project-b), plus helpers for the
// requests image tests repeat.
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { requestMetadata } from '../../../application/metadata.js';
import { openTestApi, type TestApi } from '../../support/api-harness.js';

export interface Session {
  token: string;
  projectId: string;
  /** A request to the image service (path relative to /image). */
  call(method: InjectOptions['method'], path: string, options?: { json?: unknown; body?: Buffer | string; headers?: Record<string, string> }): Promise<LightMyRequestResponse>;
}

export interface ImageHarness {
  api: TestApi;
  admin: Session;
  alice: Session;
  bob: Session;
  close(): Promise<void>;
}

export async function openImageHarness(overrides: Record<string, unknown> = {}): Promise<ImageHarness> {
  const api = await openTestApi(overrides);
  const { directory, queries } = api.services.identity;
  const metadata = requestMetadata(null, 'image-test-setup');
  const member = queries.role({ name: 'member' });
  if (!member) throw new Error('bootstrap created no member role');

  const session = (token: string, projectId: string): Session => ({
    token,
    projectId,
    call: (method, path, options = {}) =>
      api.app.inject({
        method,
        url: `/image${path}`,
        headers: {
          'x-auth-token': token,
          ...(options.json !== undefined ? { 'content-type': 'application/json' } : {}),
          ...options.headers,
        },
        payload: options.json !== undefined ? JSON.stringify(options.json) : options.body,
      }),
  });

  async function memberOf(project: string, user: string): Promise<Session> {
    const projectId = await directory.createProject({ name: project, description: '', enabled: true }, metadata);
    const userId = await directory.createUser({ name: user, password: `${user}-password`, enabled: true, email: null, defaultProjectId: projectId }, metadata);
    await directory.grantRole({ userId, projectId, roleId: member!.id }, metadata);
    return session(await api.login(user, `${user}-password`, project), projectId);
  }

  const adminProject = queries.project({ name: 'admin' });
  return {
    api,
    admin: session(await api.adminToken(), adminProject!.id),
    alice: await memberOf('project-a', 'alice'),
    bob: await memberOf('project-b', 'bob'),
    close: () => api.close(),
  };
}

/** Creates an image and returns its body; fails the test on anything but 201. */
export async function createImage(session: Session, body: Record<string, unknown> = {}): Promise<Record<string, unknown> & { id: string }> {
  const response = await session.call('POST', '/v2/images', { json: { disk_format: 'raw', container_format: 'bare', ...body } });
  if (response.statusCode !== 201) throw new Error(`create image: ${response.statusCode} ${response.body}`);
  return response.json();
}

export function uploadData(session: Session, imageId: string, data: Buffer): Promise<LightMyRequestResponse> {
  return session.call('PUT', `/v2/images/${imageId}/file`, { body: data, headers: { 'content-type': 'application/octet-stream' } });
}

export function patchImage(session: Session, imageId: string, operations: unknown, mediaType = 'application/openstack-images-v2.1-json-patch'): Promise<LightMyRequestResponse> {
  return session.call('PATCH', `/v2/images/${imageId}`, { body: JSON.stringify(operations), headers: { 'content-type': mediaType } });
}
