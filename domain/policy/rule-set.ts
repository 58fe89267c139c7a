// Builds the enforcer's rule set from rule texts (defaults in code, overridden by an
// operator's file) and reports what oslo.policy would only log: rules that do not parse
// and therefore fail closed, checks that always error, references to rules that do not
// exist (they fall back to `default`) and rules that refer to themselves.
import { DEFAULT_RULE_NAME, type PolicyNode, type RuleSet } from './ast.js';
import { resolveRule } from './evaluate.js';
import { parseRule } from './parse.js';

export interface BuiltRuleSet {
  readonly rules: RuleSet;
  readonly warnings: readonly string[];
}

export function buildRuleSet(
  defaults: Readonly<Record<string, string>>,
  overrides: Readonly<Record<string, string>> = {},
): BuiltRuleSet {
  const texts = { ...defaults, ...overrides };
  const rules = new Map(Object.entries(texts).map(([name, text]) => [name, parseRule(text)] as const));
  const warnings = [...rules].flatMap(([name, node]) => describeProblems(name, node, rules));
  return { rules, warnings: [...warnings, ...describeCycles(rules)] };
}

function describeProblems(name: string, node: PolicyNode, rules: RuleSet): string[] {
  switch (node.type) {
    case 'malformed':
      return [`policy rule "${name}": ${node.reason}; it fails closed`];
    case 'bareToken':
      return [`policy rule "${name}" reduces to the bare token "${node.token}"; it fails closed`];
    case 'external':
      return [`policy rule "${name}": external check "${node.kind}:${node.match}" is not supported; it fails closed`];
    case 'rule':
      if (rules.has(node.name)) return [];
      return [`policy rule "${name}" refers to undefined rule "${node.name}"; the "${DEFAULT_RULE_NAME}" rule applies instead`];
    case 'not':
      return describeProblems(name, node.operand, rules);
    case 'and':
    case 'or':
      return node.operands.flatMap((operand) => describeProblems(name, operand, rules));
    default:
      return [];
  }
}

function referencedRules(node: PolicyNode): string[] {
  if (node.type === 'rule') return [node.name];
  if (node.type === 'not') return referencedRules(node.operand);
  if (node.type === 'and' || node.type === 'or') return node.operands.flatMap(referencedRules);
  return [];
}

function describeCycles(rules: RuleSet): string[] {
  const cyclic = [...rules.keys()].filter((start) => reaches(rules, start, start, new Set()));
  return cyclic.map((name) => `policy rule "${name}" is part of a cyclical reference; evaluating it fails closed`);
}

function reaches(rules: RuleSet, from: string, goal: string, visited: Set<string>): boolean {
  const node = rules.get(from);
  if (node === undefined) return false;
  for (const reference of referencedRules(node)) {
    const resolved = resolveRule(rules, reference)?.name;
    if (resolved === undefined) continue;
    if (resolved === goal) return true;
    if (!visited.has(resolved)) {
      visited.add(resolved);
      if (reaches(rules, resolved, goal, visited)) return true;
    }
  }
  return false;
}
