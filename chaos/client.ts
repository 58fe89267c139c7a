// The chaos workload's HTTP client. The API is killed too, so every call retries on a
// connection failure (and on 503 while a restarted API catches up) within a deadline;
// OpenStack has no idempotency keys for these creates, so callers pass a unique name and
// look it up before retrying a create whose answer was lost.
import { setTimeout as sleep } from 'node:timers/promises';

export interface ApiResponse {
  status: number;
  text: string;
  json<T>(): T;
}

export class ApiUnreachableError extends Error {
  override readonly name = 'ApiUnreachableError';
}

export interface CallOptions {
  body?: unknown;
  /** Raw bytes (image data) instead of JSON. */
  bytes?: Uint8Array;
  /** A create is retried by the caller (after looking the name up), not here. */
  retry?: boolean;
  timeoutMs?: number;
  /** Nova microversion (default 2.37). */
  microversion?: string;
}

const RETRY_PAUSE_MS = 500;

export class ChaosClient {
  private token: string | undefined;
  projectId = '';
  /** Status polls end here (ms since epoch): the workload is draining. */
  stopPollingAt = Number.POSITIVE_INFINITY;

  constructor(
    readonly apiUrl: string,
    private readonly password: string,
    private readonly deadlineMs = 120_000,
  ) {}

  async login(): Promise<void> {
    const response = await this.send('POST', '/identity/v3/auth/tokens?nocatalog', {
      body: {
        auth: {
          identity: { methods: ['password'], password: { user: { name: 'admin', domain: { id: 'default' }, password: this.password } } },
          scope: { project: { name: 'admin', domain: { id: 'default' } } },
        },
      },
    }, false);
    if (response.status >= 500) throw new ApiUnreachableError(`login: ${response.status}`);
    if (response.status !== 201) throw new Error(`login failed: ${response.status} ${response.text}`);
    this.projectId = response.json<{ token: { project: { id: string } } }>().token.project.id;
  }

  /** A valid token for calls the client does not make itself (binary downloads). */
  async currentToken(): Promise<string> {
    if (!this.token) await this.login();
    if (!this.token) throw new Error('login returned no token');
    return this.token;
  }

  /** One call; connection failures and 503s are retried until the deadline unless `retry: false`. */
  async call(method: string, path: string, options: CallOptions = {}): Promise<ApiResponse> {
    const deadline = Date.now() + (options.timeoutMs ?? this.deadlineMs);
    for (;;) {
      try {
        if (!this.token) await this.login();
        const response = await this.send(method, path, options, true);
        if (response.status === 401) {
          this.token = undefined;
          continue;
        }
        if (response.status !== 503) return response;
        if (options.retry === false) return response;
      } catch (error) {
        if (!(error instanceof ApiUnreachableError) || options.retry === false) throw error;
      }
      if (Date.now() > deadline) throw new ApiUnreachableError(`${method} ${path}: the API did not answer within ${options.timeoutMs ?? this.deadlineMs} ms`);
      await sleep(RETRY_PAUSE_MS);
    }
  }

  private async send(method: string, path: string, { body, bytes, microversion = '2.37' }: CallOptions, authenticated: boolean): Promise<ApiResponse> {
    const headers: Record<string, string> = { 'openstack-api-version': `compute ${microversion}` };
    if (authenticated && this.token) headers['x-auth-token'] = this.token;
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (bytes !== undefined) headers['content-type'] = 'application/octet-stream';
    let response: Response;
    let text: string;
    try {
      response = await fetch(`${this.apiUrl}${path}`, {
        method,
        headers,
        signal: AbortSignal.timeout(60_000),
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
        ...(bytes !== undefined ? { body: bytes } : {}),
      });
      text = await response.text();
    } catch (error) {
      // fetch fails with a TypeError for refused/reset connections; a timeout aborts.
      throw new ApiUnreachableError(`${method} ${path}: ${error instanceof Error ? (error.cause as Error | undefined)?.message ?? error.message : String(error)}`);
    }
    const subjectToken = response.headers.get('x-subject-token');
    if (!authenticated && subjectToken) this.token = subjectToken;
    return { status: response.status, text, json: <T>() => JSON.parse(text) as T };
  }
}
