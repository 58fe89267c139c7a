import { describe, expect, it } from 'vitest';
import type { Credentials } from '../../domain/policy/credentials.js';
import { Enforcer } from '../../domain/policy/enforcer.js';
import { PolicyEvaluationError, PolicyForbiddenError } from '../../domain/policy/errors.js';
import { buildRuleSet } from '../../domain/policy/rule-set.js';

const alice: Credentials = { user_id: 'alice', project_id: 'p1', roles: ['member', 'reader'] };
const root: Credentials = { user_id: 'root', project_id: 'p0', roles: ['admin', 'member', 'reader'] };

function enforcerOf(rules: Record<string, string>): Enforcer {
  return new Enforcer(buildRuleSet(rules).rules);
}

describe('Enforcer', () => {
  const enforcer = enforcerOf({
    context_is_admin: 'role:admin',
    default: 'rule:context_is_admin',
    edit: 'rule:context_is_admin or project_id:%(project_id)s',
    crash: '1a:x or role:member',
  });

  it('allows and denies by the action rule', () => {
    expect(enforcer.enforce('edit', { project_id: 'p1' }, alice)).toBe(true);
    expect(enforcer.enforce('edit', { project_id: 'p2' }, alice)).toBe(false);
    expect(enforcer.enforce('edit', { project_id: 'p2' }, root)).toBe(true);
  });

  it('applies the default rule to an action it does not know', () => {
    expect(enforcer.enforce('unknown:action', {}, alice)).toBe(false);
    expect(enforcer.enforce('unknown:action', {}, root)).toBe(true);
  });

  it('denies an unknown action when there is no default rule', () => {
    expect(enforcerOf({ edit: '@' }).enforce('unknown:action', {}, root)).toBe(false);
  });

  it('denies everything with an empty rule set', () => {
    expect(new Enforcer(new Map()).enforce('anything', {}, root)).toBe(false);
  });

  it('denies, and says why, when the rule cannot be evaluated', () => {
    const decision = enforcer.check('crash', {}, alice);
    expect(decision.allowed).toBe(false);
    expect(decision.error).toBeInstanceOf(PolicyEvaluationError);
    expect(enforcer.enforce('crash', {}, alice)).toBe(false);
  });

  it('authorize throws PolicyForbiddenError naming the action', () => {
    expect(() => enforcer.authorize('edit', { project_id: 'p1' }, alice)).not.toThrow();
    const denied = (): void => enforcer.authorize('edit', { project_id: 'p2' }, alice);
    expect(denied).toThrow(PolicyForbiddenError);
    expect(denied).toThrow(/edit/);
  });

  it('tells admins by context_is_admin', () => {
    expect(enforcer.isAdmin(root)).toBe(true);
    expect(enforcer.isAdmin(alice)).toBe(false);
  });

  it('knows which rules it has', () => {
    expect(enforcer.hasRule('edit')).toBe(true);
    expect(enforcer.hasRule('nope')).toBe(false);
  });

  it('does not change the credentials it is given', () => {
    const scoped: Credentials = { user_id: 's', project_id: null, roles: [], system_scope: 'all' };
    expect(enforcerOf({ sys: 'system:all' }).enforce('sys', {}, scoped)).toBe(true);
    expect(scoped).not.toHaveProperty('system');
  });
});

describe('buildRuleSet warnings', () => {
  const WARNING_TABLE: readonly (readonly [rules: Record<string, string>, warning: RegExp | undefined])[] = [
    [{ a: 'role:admin or rule:b', b: '@' }, undefined],
    [{ a: 'role:admin)' }, /"a": rule "role:admin\)" does not parse; it fails closed/],
    [{ a: 'role:x or admin' }, /"a": check "admin" has no ":"/],
    [{ a: "'x'" }, /"a" reduces to the bare token "x"/],
    [{ a: 'http://example/check' }, /"a": external check .* is not supported/],
    [{ a: 'not rule:missing' }, /"a" refers to undefined rule "missing"; the "default" rule applies/],
    [{ a: 'rule:b', b: 'role:x or rule:a' }, /"a" is part of a cyclical reference/],
    [{ a: 'rule:a' }, /"a" is part of a cyclical reference/],
  ];

  it.each(WARNING_TABLE)('%j warns %s', (rules, warning) => {
    const { warnings } = buildRuleSet(rules);
    if (warning === undefined) expect(warnings).toEqual([]);
    else expect(warnings.some((line) => warning.test(line))).toBe(true);
  });

  it('lets overrides replace defaults by name', () => {
    const { rules } = buildRuleSet({ a: 'role:x', b: 'role:y' }, { b: '@' });
    expect(rules.get('a')).toEqual({ type: 'role', match: 'x' });
    expect(rules.get('b')).toEqual({ type: 'always' });
  });
});
