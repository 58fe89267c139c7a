// The few OpenStack calls the launch e2e tests and the launch bench make over HTTP instead
// of the CLI (whose start-up alone takes about a second): a token, an image upload, server
// create and show, and a wait for a server to settle.
import { createReadStream, statSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

export interface ComputeClient {
  apiUrl: string;
  token: string;
}

/** A project-scoped token for the admin `strata up` printed (its OS_* variables). */
export async function adminClient(apiUrl: string, adminEnv: Record<string, string>): Promise<ComputeClient> {
  const response = await fetch(`${apiUrl}/identity/v3/auth/tokens?nocatalog`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      auth: {
        identity: { methods: ['password'], password: { user: { name: adminEnv.OS_USERNAME, domain: { id: 'default' }, password: adminEnv.OS_PASSWORD } } },
        scope: { project: { name: adminEnv.OS_PROJECT_NAME, domain: { id: 'default' } } },
      },
    }),
  });
  const token = response.headers.get('x-subject-token');
  if (response.status !== 201 || !token) throw new Error(`login failed: ${response.status} ${await response.text()}`);
  return { apiUrl, token };
}

async function call<T>(client: ComputeClient, method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${client.apiUrl}${path}`, {
    method,
    headers: { 'x-auth-token': client.token, ...(body === undefined ? {} : { 'content-type': 'application/json' }), 'openstack-api-version': 'compute 2.37' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
  return (text === '' ? undefined : JSON.parse(text)) as T;
}

export async function uploadImage(client: ComputeClient, name: string, file: string, properties: Record<string, string>): Promise<string> {
  const image = await call<{ id: string }>(client, 'POST', '/image/v2/images', { name, disk_format: 'raw', container_format: 'bare', visibility: 'public', ...properties });
  const response = await fetch(`${client.apiUrl}/image/v2/images/${image.id}/file`, {
    method: 'PUT',
    headers: { 'x-auth-token': client.token, 'content-type': 'application/octet-stream', 'content-length': String(statSync(file).size) },
    body: createReadStream(file),
    duplex: 'half',
  });
  if (response.status !== 204) throw new Error(`upload of ${file} failed: ${response.status} ${await response.text()}`);
  return image.id;
}

export interface ServerRequest {
  name: string;
  imageRef: string;
  flavorRef: string;
  /** `zone` or, for an admin, `zone:host` to force the host. */
  availabilityZone?: string;
}

export async function createServer(client: ComputeClient, request: ServerRequest): Promise<string> {
  const server = {
    name: request.name,
    imageRef: request.imageRef,
    flavorRef: request.flavorRef,
    networks: 'none',
    ...(request.availabilityZone ? { availability_zone: request.availabilityZone } : {}),
  };
  return (await call<{ server: { id: string } }>(client, 'POST', '/compute/v2.1/servers', { server })).server.id;
}

export type Server = Record<string, unknown> & { id: string; status: string };

export async function showServer(client: ComputeClient, id: string): Promise<Server> {
  return (await call<{ server: Server }>(client, 'GET', `/compute/v2.1/servers/${id}`)).server;
}

/** Polls until the server leaves BUILD; resolves with it and the time it was first seen settled. */
export async function waitForServer(client: ComputeClient, id: string, { timeoutMs, pollMs = 25 }: { timeoutMs: number; pollMs?: number }): Promise<{ server: Server; settledAt: number }> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const server = await showServer(client, id);
    if (server.status !== 'BUILD') return { server, settledAt: performance.now() };
    if (Date.now() > deadline) throw new Error(`server ${id} still BUILD after ${timeoutMs} ms (task ${String(server['OS-EXT-STS:task_state'])})`);
    await sleep(pollMs);
  }
}

export async function hypervisors(client: ComputeClient): Promise<Array<Record<string, unknown>>> {
  return (await call<{ hypervisors: Array<Record<string, unknown>> }>(client, 'GET', '/compute/v2.1/os-hypervisors/detail')).hypervisors;
}
