// Evaluates a parsed rule the way oslo.policy's check classes do: short-circuiting
// and/or in order, `%(key)s` substitution from the target (a missing key fails the
// check), roles compared case-insensitively, generic checks against a literal or a
// dotted credentials path. Where oslo raises, this throws PolicyEvaluationError.
import { DEFAULT_RULE_NAME, type PolicyNode, type RuleSet } from './ast.js';
import type { Credentials, PolicyTarget } from './credentials.js';
import { PolicyEvaluationError } from './errors.js';
import { substitute } from './python-format.js';
import { classifyCheckKind } from './python-literal.js';
import { pythonStr } from './python-values.js';

/** A rule by name, or `default` in its place when the name is unknown (oslo's Rules). */
export function resolveRule(rules: RuleSet, name: string): { name: string; node: PolicyNode } | undefined {
  const node = rules.get(name);
  if (node !== undefined) return { name, node };
  const fallback = rules.get(DEFAULT_RULE_NAME);
  return fallback === undefined ? undefined : { name: DEFAULT_RULE_NAME, node: fallback };
}

export function evaluate(node: PolicyNode, target: PolicyTarget, credentials: Credentials, rules: RuleSet): boolean {
  return evaluateWithin(node, { target, credentials, rules, enclosingRules: new Set() });
}

interface Scope {
  readonly target: PolicyTarget;
  readonly credentials: Credentials;
  readonly rules: RuleSet;
  /** Rules being evaluated further up: entering one again would recurse forever in oslo. */
  readonly enclosingRules: ReadonlySet<string>;
}

function evaluateWithin(node: PolicyNode, scope: Scope): boolean {
  switch (node.type) {
    case 'always':
      return true;
    case 'never':
    case 'malformed':
      return false;
    case 'bareToken':
      throw new PolicyEvaluationError(`rule reduces to the bare token "${node.token}"`);
    case 'external':
      throw new PolicyEvaluationError(`external check "${node.kind}:${node.match}" is not supported`);
    case 'not':
      return !evaluateWithin(node.operand, scope);
    case 'and':
      return node.operands.every((operand) => evaluateWithin(operand, scope));
    case 'or':
      return node.operands.some((operand) => evaluateWithin(operand, scope));
    case 'rule':
      return evaluateReference(node.name, scope);
    case 'role':
      return evaluateRole(node.match, scope);
    case 'generic':
      return evaluateGeneric(node.kind, node.match, scope);
  }
}

function evaluateReference(name: string, scope: Scope): boolean {
  const resolved = resolveRule(scope.rules, name);
  if (resolved === undefined) return false;
  if (scope.enclosingRules.has(resolved.name)) {
    throw new PolicyEvaluationError(`rule "${resolved.name}" refers to itself`);
  }
  const enclosingRules = new Set(scope.enclosingRules).add(resolved.name);
  return evaluateWithin(resolved.node, { ...scope, enclosingRules });
}

function evaluateRole(template: string, scope: Scope): boolean {
  const wanted = substitute(template, scope.target);
  if (!wanted.found || !Object.hasOwn(scope.credentials, 'roles')) return false;
  const roles: unknown = scope.credentials.roles;
  if (!Array.isArray(roles)) throw new PolicyEvaluationError('credentials.roles is not a list');
  const held = roles.map((role: unknown) => {
    if (typeof role !== 'string') throw new PolicyEvaluationError('credentials.roles holds a non-string');
    return role.toLowerCase();
  });
  return held.includes(wanted.text.toLowerCase());
}

function evaluateGeneric(kind: string, template: string, scope: Scope): boolean {
  const expected = substitute(template, scope.target);
  if (!expected.found) return false;
  const subject = classifyCheckKind(kind);
  if (subject.type === 'literal') return expected.text === subject.text;
  return credentialMatches(scope.credentials, subject.path, expected.text);
}

// oslo's GenericCheck._find_in_dict: walks dicts by key and tries every element of a list.
function credentialMatches(value: unknown, path: readonly string[], expected: string): boolean {
  const [key, ...rest] = path;
  if (key === undefined) return expected === pythonStr(value);
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new PolicyEvaluationError(`cannot look up "${key}" in ${pythonStr(value)}`);
  }
  const next: unknown = (value as Record<string, unknown>)[key];
  if (!Object.hasOwn(value, key) || next === undefined) return false;
  if (Array.isArray(next)) return next.some((item) => credentialMatches(item, rest, expected));
  return credentialMatches(next, rest, expected);
}
