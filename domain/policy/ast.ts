// The parsed form of an oslo.policy rule. Node kinds mirror oslo.policy's check classes so
// that evaluation (and oslo's quirks) can be reproduced one to one.

/** `@` or the empty rule: always passes. */
export interface AlwaysNode {
  readonly type: 'always';
}

/** `!`: always fails. */
export interface NeverNode {
  readonly type: 'never';
}

/**
 * Text oslo cannot understand: a whole rule that does not reduce, or a check without a
 * `:`. Fails closed (oslo turns it into `!`); kept apart from `!` so loaders can warn.
 */
export interface MalformedNode {
  readonly type: 'malformed';
  readonly text: string;
  readonly reason: string;
}

/**
 * A rule that reduces to a lone operator, parenthesis or quoted string. oslo hands back
 * the bare token instead of a check and raises when enforcing it, so evaluating it errors.
 */
export interface BareTokenNode {
  readonly type: 'bareToken';
  readonly token: string;
}

/** `rule:NAME`: evaluates another rule of the rule set. */
export interface RuleReferenceNode {
  readonly type: 'rule';
  readonly name: string;
}

/** `role:NAME`: the credentials hold that role (case-insensitive). */
export interface RoleNode {
  readonly type: 'role';
  readonly match: string;
}

/** `KIND:VALUE`: compares a credential (or a literal left side) with a value. */
export interface GenericNode {
  readonly type: 'generic';
  readonly kind: string;
  readonly match: string;
}

/** `http:`/`https:` checks ask a remote server; strata never calls out, so they error. */
export interface ExternalNode {
  readonly type: 'external';
  readonly kind: string;
  readonly match: string;
}

export interface NotNode {
  readonly type: 'not';
  readonly operand: PolicyNode;
}

export interface AndNode {
  readonly type: 'and';
  readonly operands: readonly PolicyNode[];
}

export interface OrNode {
  readonly type: 'or';
  readonly operands: readonly PolicyNode[];
}

export type PolicyNode =
  | AlwaysNode
  | NeverNode
  | MalformedNode
  | BareTokenNode
  | RuleReferenceNode
  | RoleNode
  | GenericNode
  | ExternalNode
  | NotNode
  | AndNode
  | OrNode;

/** Rules by name, as the enforcer holds them (defaults merged with an operator's file). */
export type RuleSet = ReadonlyMap<string, PolicyNode>;

/** oslo's `policy_default_rule`: what an unknown action or `rule:` reference falls back to. */
export const DEFAULT_RULE_NAME = 'default';
