// Tokens: random bearer values handed to the client once; the log and the read model keep
// only their sha-256. Each token is a stream of its own (issued, maybe revoked).
import { createHash, randomBytes } from 'node:crypto';
import type { Decider } from '../decider.js';
import { DomainError } from '../decider.js';
import type { IdentityEvent, IdentityEventData } from './events.js';

export function newTokenValue(): string {
  return randomBytes(32).toString('base64url');
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function tokenStream(auditId: string): string {
  return `token-${auditId}`;
}

export interface TokenState {
  issued: IdentityEventData<'TokenIssued.v1'> | null;
  revoked: boolean;
}

export type TokenCommand = { kind: 'issue'; data: IdentityEventData<'TokenIssued.v1'> } | { kind: 'revoke' };

export const tokenDecider: Decider<TokenState, TokenCommand, IdentityEvent> = {
  initialState: () => ({ issued: null, revoked: false }),
  evolve(state, event) {
    if (event.type === 'TokenIssued.v1') return { ...state, issued: event.data };
    if (event.type === 'TokenRevoked.v1') return { ...state, revoked: true };
    return state;
  },
  decide(command, state) {
    if (command.kind === 'issue') {
      if (state.issued) throw new DomainError('conflict', 'token already issued');
      return [{ type: 'TokenIssued.v1', data: command.data }];
    }
    if (!state.issued) throw new DomainError('not_found', 'Could not find token.');
    return state.revoked ? [] : [{ type: 'TokenRevoked.v1', data: { tokenHash: state.issued.tokenHash } }];
  },
};
