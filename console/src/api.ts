// The console's one way to call strata: the session's token on every request, errors
// turned into ApiError with the service's own message, and a 401 ending the session.
import { ApiError, errorMessageOf } from './errors';
import type { Session } from './session';

/** The compute microversion the console reads (2.47: flavors embedded in servers). */
const COMPUTE_VERSION = 'compute 2.47';

export interface Api {
  session: Session;
  request<T>(method: string, path: string, body?: unknown): Promise<T>;
}

export function createApi(session: Session, onUnauthorized: () => void): Api {
  return {
    session,
    async request<T>(method: string, path: string, body?: unknown): Promise<T> {
      const headers: Record<string, string> = { 'x-auth-token': session.token, 'openstack-api-version': COMPUTE_VERSION };
      if (body !== undefined) headers['content-type'] = 'application/json';
      const response = await fetch(path, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
      const text = await response.text();
      if (response.status === 401) onUnauthorized();
      if (!response.ok) throw new ApiError(response.status, errorMessageOf(response.status, text));
      return (text === '' ? undefined : JSON.parse(text)) as T;
    },
  };
}
