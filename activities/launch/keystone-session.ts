// A service token for a compute host's calls to the image API: the configured admin
// user's project-scoped Keystone token, kept until shortly before it expires.
export interface ServiceCredentials {
  user: string;
  password: string;
  project: string;
}

const requestTimeoutMs = 30_000;
/** Renew this long before expiry, so a token never lapses during a request. */
const renewMarginMs = 60_000;

export class KeystoneSession {
  private current: Promise<{ token: string; expiresAt: number }> | null = null;

  constructor(
    private readonly apiBase: string,
    private readonly credentials: ServiceCredentials,
  ) {}

  /** Concurrent callers share one request for a new token. */
  async token(): Promise<string> {
    const seen = this.current;
    const valid = await seen?.catch(() => null);
    if (valid && valid.expiresAt - renewMarginMs > Date.now()) return valid.token;
    // Whoever finds no valid token first asks for one; callers that waited meanwhile reuse it.
    const fresh = this.current === seen ? this.issue() : (this.current ?? this.issue());
    this.current = fresh;
    return (await fresh).token;
  }

  /** Forget a token the API refused (revoked, or the API restarted with new keys). */
  invalidate(): void {
    this.current = null;
  }

  private async issue(): Promise<{ token: string; expiresAt: number }> {
    const domain = { id: 'default' };
    const response = await fetch(`${this.apiBase}/identity/v3/auth/tokens?nocatalog`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        auth: {
          identity: { methods: ['password'], password: { user: { name: this.credentials.user, domain, password: this.credentials.password } } },
          scope: { project: { name: this.credentials.project, domain } },
        },
      }),
      signal: AbortSignal.timeout(requestTimeoutMs),
    });
    const token = response.headers.get('x-subject-token');
    if (response.status !== 201 || !token) {
      throw new Error(`the identity API refused the compute host's credentials (HTTP ${response.status}): check identity.adminUser / adminPassword / adminProject`);
    }
    const body = (await response.json()) as { token?: { expires_at?: string } };
    const expiresAt = Date.parse(body.token?.expires_at ?? '');
    return { token, expiresAt: Number.isNaN(expiresAt) ? Date.now() + renewMarginMs * 2 : expiresAt };
  }
}
