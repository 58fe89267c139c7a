// A CLI command's session with the strata API, as the `openstack` CLI would open it:
// credentials from the usual OS_* variables, or else the configured admin (as `strata up`
// prints them). Commands that act through the API record the operator as the actor.
import { apiBaseUrl } from '../config/paths.js';
import type { StrataConfig } from '../config/schema.js';

interface CatalogEntry {
  type: string;
  endpoints: Array<{ interface: string; url: string }>;
}

export interface ApiSession {
  token: string;
  /** The API's root URL (where /identity, /image, /ops … live). */
  root: string;
  /** The catalog's public URL for a service type, else `<root>/<fallbackPath>`. */
  endpoint(type: string, fallbackPath: string): string;
}

export async function openApiSession(config: StrataConfig, env: NodeJS.ProcessEnv): Promise<ApiSession> {
  const authUrl = (env.OS_AUTH_URL ?? `${apiBaseUrl(config)}/identity/v3`).replace(/\/$/, '');
  const user = env.OS_USERNAME ?? config.identity.adminUser;
  const project = env.OS_PROJECT_NAME ?? config.identity.adminProject;
  const password = env.OS_PASSWORD ?? config.identity.adminPassword;
  const response = await fetch(`${authUrl}/auth/tokens`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ auth: { identity: { methods: ['password'], password: { user: { name: user, domain: { id: 'default' }, password } } }, scope: { project: { name: project, domain: { id: 'default' } } } } }),
  });
  if (response.status !== 201) throw new Error(`authentication as ${user} failed: HTTP ${response.status}`);
  const body = (await response.json()) as { token: { catalog?: CatalogEntry[] } };
  const root = authUrl.replace(/\/identity(?:\/v3)?$/, '');
  return {
    token: response.headers.get('x-subject-token') ?? '',
    root,
    endpoint: (type, fallbackPath) => body.token.catalog?.find((service) => service.type === type)?.endpoints.find((endpoint) => endpoint.interface === 'public')?.url ?? `${root}/${fallbackPath}`,
  };
}

/** A JSON call to the ops API; the answer's status and parsed body (null when empty). */
export async function callOps(session: ApiSession, method: string, path: string, body?: unknown): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${session.root}/ops/v1${path}`, {
    method,
    headers: { 'x-auth-token': session.token, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, body: text === '' ? null : (JSON.parse(text) as unknown) };
}

/** The message of an OpenStack-style error body (`{"error":{"message"}}` and the like), else the raw body. */
export function errorMessageOf(body: unknown): string {
  if (body && typeof body === 'object') {
    for (const value of Object.values(body)) {
      if (value && typeof value === 'object' && 'message' in value) return String((value as { message: unknown }).message);
    }
  }
  return JSON.stringify(body);
}
