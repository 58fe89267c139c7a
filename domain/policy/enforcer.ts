// The policy enforcer: holds the rule set and decides whether credentials may perform an
// action on a target, as oslo.policy's Enforcer.enforce does. Anything that cannot be
// evaluated denies.
import type { RuleSet } from './ast.js';
import type { Credentials, PolicyTarget } from './credentials.js';
import { PolicyEvaluationError, PolicyForbiddenError } from './errors.js';
import { evaluate, resolveRule } from './evaluate.js';

export interface PolicyDecision {
  readonly allowed: boolean;
  /** Set when the rule could not be evaluated (oslo would have raised); allowed is false. */
  readonly error?: PolicyEvaluationError;
}

/** The part of the enforcer that property protections and API handlers depend on. */
export interface PolicyDecider {
  enforce(action: string, target: PolicyTarget, credentials: Credentials): boolean;
}

export class Enforcer implements PolicyDecider {
  constructor(private readonly rules: RuleSet) {}

  hasRule(name: string): boolean {
    return this.rules.has(name);
  }

  check(action: string, target: PolicyTarget, credentials: Credentials): PolicyDecision {
    const resolved = resolveRule(this.rules, action);
    if (resolved === undefined) return { allowed: false };
    try {
      return { allowed: evaluate(resolved.node, target, withSystemAlias(credentials), this.rules) };
    } catch (error) {
      if (error instanceof PolicyEvaluationError) return { allowed: false, error };
      throw error;
    }
  }

  enforce(action: string, target: PolicyTarget, credentials: Credentials): boolean {
    return this.check(action, target, credentials).allowed;
  }

  /** Throws PolicyForbiddenError (the API's 403) unless the action is allowed. */
  authorize(action: string, target: PolicyTarget, credentials: Credentials): void {
    if (!this.enforce(action, target, credentials)) throw new PolicyForbiddenError(action);
  }

  /** Glance and Nova set a request context's is_admin from this rule. */
  isAdmin(credentials: Credentials): boolean {
    return this.enforce('context_is_admin', {}, credentials);
  }
}

// oslo.policy copies a truthy `system_scope` to `system`, for rules written against either.
function withSystemAlias(credentials: Credentials): Credentials {
  const scope = credentials.system_scope;
  return typeof scope === 'string' && scope !== '' ? { ...credentials, system: scope } : credentials;
}
