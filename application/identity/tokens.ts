// Issues, validates and revokes tokens. Validation recomputes roles from the current
// grants (as Keystone does), so a revoked role or a disabled user takes effect at once.
import { DomainError } from '../../domain/decider.js';
import type { Caller } from '../../domain/identity/caller.js';
import { withImpliedRoles } from '../../domain/identity/caller.js';
import { verifyPassword } from '../../domain/identity/password.js';
import { hashToken, newTokenValue, tokenDecider, tokenStream } from '../../domain/identity/token.js';
import type { EventStore } from '../../eventstore/port.js';
import type { IdentityQueries, UserRow } from '../../projections/identity-queries.js';
import type { ProjectionRunner } from '../../projections/runner.js';
import { handleCommand } from '../handle-command.js';
import { requestMetadata } from '../metadata.js';
import { newKeystoneId } from './ids.js';
import { READ_YOUR_WRITES_TIMEOUT_MS } from '../timeouts.js';

export interface PasswordAuth {
  user: { id?: string; name?: string; domain?: { id?: string; name?: string } };
  password: string;
  scope: { id?: string; name?: string; domain?: { id?: string; name?: string } } | null;
}

export interface TokenServiceDependencies {
  events: EventStore;
  queries: IdentityQueries;
  projections: ProjectionRunner;
  tokenTtlSeconds: number;
  now?: () => Date;
}

/** The one message for every authentication failure: no hint which part was wrong. */
export const AUTHENTICATION_FAILED = 'The request you have made requires authentication.';

function inDefaultDomain(domain: { id?: string; name?: string } | undefined): boolean {
  return domain === undefined || domain.id === 'default' || domain.name === 'Default';
}

export class TokenService {
  constructor(private readonly deps: TokenServiceDependencies) {}

  private now(): Date {
    return this.deps.now?.() ?? new Date();
  }

  /** Checks the password and scope; returns the new token's value and its caller view. */
  async issue(auth: PasswordAuth, requestId: string): Promise<{ token: string; caller: Caller }> {
    const { queries } = this.deps;
    const user: UserRow | undefined = inDefaultDomain(auth.user.domain) ? queries.user(auth.user) : undefined;
    const passwordOk = await verifyPassword(auth.password, user?.password_hash);
    if (!user || !passwordOk || !user.enabled) throw new DomainError('unauthenticated', AUTHENTICATION_FAILED);
    let project: { id: string; name: string } | null = null;
    let granted: Array<{ id: string; name: string }> = [];
    if (auth.scope) {
      const row = inDefaultDomain(auth.scope.domain) ? queries.project(auth.scope) : undefined;
      granted = row ? queries.rolesOnProject(user.id, row.id) : [];
      if (!row || !row.enabled || granted.length === 0) throw new DomainError('unauthenticated', AUTHENTICATION_FAILED);
      project = { id: row.id, name: row.name };
    }
    const token = newTokenValue();
    const issuedAt = this.now();
    const expiresAt = new Date(issuedAt.getTime() + this.deps.tokenTtlSeconds * 1000);
    const auditId = newKeystoneId();
    const roles = withImpliedRoles(granted, queries.roles());
    const caller: Caller = {
      userId: user.id,
      userName: user.name,
      domainId: user.domain_id,
      project,
      roles,
      auditId,
      methods: ['password'],
      issuedAt: issuedAt.toISOString(),
      expiresAt: expiresAt.toISOString(),
    };
    const { position } = await handleCommand(
      this.deps.events,
      tokenDecider,
      tokenStream(auditId),
      {
        kind: 'issue',
        data: {
          tokenHash: hashToken(token),
          auditId,
          userId: user.id,
          projectId: project?.id ?? null,
          roles,
          methods: caller.methods,
          issuedAt: caller.issuedAt,
          expiresAt: caller.expiresAt,
        },
      },
      { metadata: requestMetadata(caller, requestId) },
    );
    await this.deps.projections.waitFor(position, READ_YOUR_WRITES_TIMEOUT_MS);
    return { token, caller };
  }

  /** The caller a token stands for, or null when it is unknown, expired, revoked or no longer valid. */
  async validate(token: string): Promise<Caller | null> {
    const hash = hashToken(token);
    let row = this.deps.queries.token(hash);
    if (!row) {
      // Issued through another API process moments ago? Catch up with the log once.
      await this.deps.projections.waitFor(await this.deps.events.headPosition(), READ_YOUR_WRITES_TIMEOUT_MS);
      row = this.deps.queries.token(hash);
    }
    if (!row || row.revoked || Date.parse(row.expires_at) <= this.now().getTime()) return null;
    const user = this.deps.queries.user({ id: row.user_id });
    if (!user || !user.enabled) return null;
    let project: { id: string; name: string } | null = null;
    let granted: Array<{ id: string; name: string }> = [];
    if (row.project_id !== null) {
      const projectRow = this.deps.queries.project({ id: row.project_id });
      granted = projectRow ? this.deps.queries.rolesOnProject(user.id, projectRow.id) : [];
      if (!projectRow || !projectRow.enabled || granted.length === 0) return null;
      project = { id: projectRow.id, name: projectRow.name };
    }
    return {
      userId: user.id,
      userName: user.name,
      domainId: user.domain_id,
      project,
      roles: withImpliedRoles(granted, this.deps.queries.roles()),
      auditId: row.audit_id,
      methods: JSON.parse(row.methods) as string[],
      issuedAt: row.issued_at,
      expiresAt: row.expires_at,
    };
  }

  async revoke(subject: Caller, actor: Caller, requestId: string): Promise<void> {
    const { position } = await handleCommand(this.deps.events, tokenDecider, tokenStream(subject.auditId), { kind: 'revoke' }, { metadata: requestMetadata(actor, requestId) });
    if (position > 0) await this.deps.projections.waitFor(position, READ_YOUR_WRITES_TIMEOUT_MS);
  }
}
