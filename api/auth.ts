// Authentication and authorization for every route. A route whose `config.policy` names an
// action needs a valid X-Auth-Token (else 401), and its handler must call
// `request.authorize(target)` before answering: a route that forgets to is refused with
// 500 rather than silently allowed.
import type { FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { TokenService } from '../application/identity/tokens.js';
import { AUTHENTICATION_FAILED } from '../application/identity/tokens.js';
import type { Caller } from '../domain/identity/caller.js';
import { credentialsOf } from '../domain/identity/caller.js';
import type { PolicyTarget } from '../domain/policy/credentials.js';
import type { Enforcer } from '../domain/policy/enforcer.js';
import { HttpError } from './errors.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The authenticated caller; set on every route that declares a policy action. */
    caller: Caller;
    /** Enforces the route's policy action against `target` (owner, visibility, …). */
    authorize(target?: PolicyTarget): void;
    /** Enforces `action` in place of the route's own, for routes whose body picks the action (server actions). */
    authorizeAs(action: string, target?: PolicyTarget): void;
    /** Whether the caller passes `action` on `target`, for rules that shape a response. */
    allowed(action: string, target?: PolicyTarget): boolean;
  }
}

export interface AuthOptions {
  tokens: TokenService;
  enforcer: Enforcer;
}

const unauthenticated = () => new HttpError(401, AUTHENTICATION_FAILED, { 'WWW-Authenticate': 'Keystone uri="/identity/v3"' });

const checked = new WeakSet<FastifyRequest>();

export const authPlugin = fp<AuthOptions>(
  async (app, { tokens, enforcer }) => {
    app.decorateRequest('caller', null as unknown as Caller);
    app.decorateRequest('authorizeAs', function (this: FastifyRequest, action: string, target: PolicyTarget = {}) {
      enforcer.authorize(action, target, credentialsOf(this.caller));
      checked.add(this);
    });
    app.decorateRequest('authorize', function (this: FastifyRequest, target: PolicyTarget = {}) {
      const action = this.routeOptions.config.policy;
      if (typeof action !== 'string') throw new Error(`route ${this.routeOptions.url ?? ''} declares no policy action`);
      this.authorizeAs(action, target);
    });
    app.decorateRequest('allowed', function (this: FastifyRequest, action: string, target: PolicyTarget = {}) {
      return enforcer.enforce(action, target, credentialsOf(this.caller));
    });

    app.addHook('onRequest', async (request: FastifyRequest) => {
      if (typeof request.routeOptions.config.policy !== 'string') return;
      const token = request.headers['x-auth-token'];
      if (typeof token !== 'string' || token.length === 0 || token.length > 1024) throw unauthenticated();
      const caller = await tokens.validate(token);
      if (!caller) throw unauthenticated();
      request.caller = caller;
    });

    app.addHook('onSend', async (request: FastifyRequest, reply: FastifyReply, payload) => {
      const guarded = typeof request.routeOptions.config.policy === 'string';
      if (guarded && reply.statusCode < 400 && !checked.has(request)) {
        request.log.error(`route ${request.routeOptions.url ?? ''} answered without checking its policy`);
        void reply.code(500);
        return JSON.stringify({ error: { code: 500, title: 'Internal Server Error', message: 'policy was not checked' } });
      }
      return payload;
    });
  },
  { name: 'strata-auth' },
);
