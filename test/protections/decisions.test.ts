// Deciding property operations: Glance's own test configurations in both formats
// (expectations from glance/tests/unit/common/test_property_utils.py), the shipped
// samples, and the matching rules (regex search, first match wins, no match denies).
import { describe, expect, it } from 'vitest';
import type { Credentials } from '../../domain/policy/credentials.js';
import { DEFAULT_POLICY_RULES } from '../../domain/policy/defaults/index.js';
import { Enforcer } from '../../domain/policy/enforcer.js';
import { buildRuleSet } from '../../domain/policy/rule-set.js';
import { filterReadable, isAllowed } from '../../domain/protections/check.js';
import {
  parseProtections,
  type PropertyOperation,
  type PropertyProtections,
  type ProtectionFormat,
} from '../../domain/protections/protections.js';
import {
  GLANCE_SAMPLE_POLICIES_CONF,
  GLANCE_SAMPLE_ROLES_CONF,
  GLANCE_TEST_POLICIES_CONF,
  GLANCE_TEST_POLICY_RULES,
  GLANCE_TEST_ROLES_CONF,
} from './glance-samples.js';

type Row = readonly [property: string, operation: PropertyOperation, roles: string[], allowed: boolean];

const ALL_OPERATIONS: readonly PropertyOperation[] = ['create', 'read', 'update', 'delete'];
const everyOperation = (property: string, roles: string[], allowed: boolean): Row[] =>
  ALL_OPERATIONS.map((operation) => [property, operation, roles, allowed] as const);

function protectionsOf(text: string, format: ProtectionFormat): PropertyProtections {
  const parsed = parseProtections(text, format);
  if (!parsed.ok) throw new Error(parsed.fault);
  return parsed.protections;
}

const caller = (roles: string[]): Credentials => ({ user_id: 'u', project_id: 'p1', roles });
const enforcerOf = (rules: Readonly<Record<string, string>>): Enforcer => new Enforcer(buildRuleSet(rules).rules);
const NO_POLICIES = enforcerOf({});

const GLANCE_ROLES_TABLE: readonly Row[] = [
  ...ALL_OPERATIONS.flatMap((operation): Row[] => [
    ['test_prop', operation, ['admin'], true],
    ['x_owner_prop', operation, ['member'], true],
    ['test_prop', operation, ['member'], false],
  ]),
  ...everyOperation('x_all_permitted_foo', ['joe_soap'], true),
  ...everyOperation('x_all_permitted_foo', [], true),
  ...everyOperation('x_none_permitted_foo', ['admin'], false),
  ['x_none_read', 'create', ['member'], true],
  ['x_none_read', 'read', ['admin'], false],
  ['x_none_read', 'update', ['admin'], false],
  ['x_none_read', 'delete', ['admin'], false],
  ['x_none_update', 'create', ['admin'], true],
  ['x_none_update', 'read', ['member'], true],
  ['x_none_update', 'update', ['admin'], false],
  ['x_none_update', 'delete', ['member'], true],
  ['x_none_delete', 'update', ['member'], true],
  ['x_none_delete', 'delete', ['admin'], false],
  ['x_case_insensitive', 'read', ['member'], true],
  ['x_case_insensitive', 'update', ['MEMBER'], true],
  ['x_foo_matcher', 'read', ['admin'], true],
  ['x_foo_matcher', 'read', ['member'], false],
  ['x_foo_bar', 'read', ['joe_soap'], true],
  ['spl_create_prop', 'create', ['spl_role'], true],
  ['spl_create_prop', 'update', ['spl_role'], false],
  ['spl_read_only_prop', 'read', ['spl_role'], true],
  ['spl_read_only_prop', 'create', ['spl_role'], false],
  ['spl_update_only_prop', 'update', ['spl_role'], true],
  ['spl_update_only_prop', 'read', ['spl_role'], false],
  ['spl_delete_prop', 'delete', ['spl_role'], true],
  ['spl_delete_prop', 'update', ['spl_role'], false],
  // sections are searched, not anchored, unless the regex says so; matching is case-sensitive
  ['my_x_foo_matcher_2', 'read', ['member'], false],
  ['my_x_foo_matcher_2', 'read', ['admin'], true],
  ['a_x_owner_b', 'read', ['member'], false],
  ['X_OWNER_PROP', 'read', ['member'], false],
  ['X_OWNER_PROP', 'read', ['Admin'], true],
];

const GLANCE_POLICIES_TABLE: readonly Row[] = [
  ['spl_creator_policy', 'create', ['spl_role'], true],
  ['spl_creator_policy', 'read', ['spl_role'], true],
  ['spl_creator_policy', 'update', ['spl_role'], false],
  ['spl_creator_policy', 'update', ['admin'], true],
  ['spl_creator_policy', 'delete', ['spl_role'], false],
  ['spl_default_policy', 'read', ['joe_soap'], true],
  ['spl_default_policy', 'create', ['joe_soap'], false],
  ...everyOperation('x_all_permitted_a', ['joe_soap'], true),
  ...everyOperation('x_none_permitted_a', ['admin'], false),
  ['x_none_read', 'create', ['admin'], true],
  ['x_none_read', 'read', ['admin'], false],
  ['x_none_update', 'read', ['admin'], true],
  ['x_none_update', 'update', ['admin'], false],
  ['x_none_delete', 'delete', ['admin'], false],
  ['x_foo_matcher', 'read', ['admin'], true],
  ['x_foo_matcher', 'read', ['member'], false],
  ['x_foo_bar', 'update', ['joe_soap'], true],
  ['test_prop', 'create', ['admin'], true],
  ['test_prop', 'create', ['member'], false],
];

describe('Glance test configuration, roles format', () => {
  const protections = protectionsOf(GLANCE_TEST_ROLES_CONF, 'roles');
  it.each(GLANCE_ROLES_TABLE)('%s %s by %j: %s', (property, operation, roles, allowed) => {
    expect(isAllowed(protections, property, operation, caller(roles), NO_POLICIES)).toBe(allowed);
  });
});

describe('Glance test configuration, policies format', () => {
  const protections = protectionsOf(GLANCE_TEST_POLICIES_CONF, 'policies');
  const policies = enforcerOf(GLANCE_TEST_POLICY_RULES);
  it.each(GLANCE_POLICIES_TABLE)('%s %s by %j: %s', (property, operation, roles, allowed) => {
    expect(isAllowed(protections, property, operation, caller(roles), policies)).toBe(allowed);
  });
});

describe('Glance samples', () => {
  it('roles sample: x_ properties for members, the rest for admins', () => {
    const protections = protectionsOf(GLANCE_SAMPLE_ROLES_CONF, 'roles');
    const decide = (property: string, roles: string[]): boolean =>
      isAllowed(protections, property, 'update', caller(roles), NO_POLICIES);
    expect([decide('x_foo', ['member']), decide('x_foo', ['_member_']), decide('foo', ['member']), decide('foo', ['admin'])])
      .toEqual([true, true, false, true]);
  });

  it('policies sample follows the "default" rule, which strata closes unless the operator opens it', () => {
    const protections = protectionsOf(GLANCE_SAMPLE_POLICIES_CONF, 'policies');
    const member = caller(['member', 'reader']);
    const strataDefaults = enforcerOf(DEFAULT_POLICY_RULES);
    const glanceDefault = new Enforcer(buildRuleSet(DEFAULT_POLICY_RULES, { default: '' }).rules);
    expect(isAllowed(protections, 'x_foo', 'read', member, strataDefaults)).toBe(false);
    expect(isAllowed(protections, 'x_foo', 'read', member, glanceDefault)).toBe(true);
    expect(isAllowed(protections, 'foo', 'read', member, glanceDefault)).toBe(false);
    expect(isAllowed(protections, 'foo', 'read', caller(['admin']), strataDefaults)).toBe(true);
  });
});

describe('section matching', () => {
  const decide = (conf: string, property: string): boolean =>
    isAllowed(protectionsOf(conf, 'roles'), property, 'read', caller(['member']), NO_POLICIES);
  const open = (pattern: string): string => `[${pattern}]\ncreate = @\nread = @\nupdate = @\ndelete = @\n`;
  const closed = (pattern: string): string => `[${pattern}]\ncreate = !\nread = !\nupdate = !\ndelete = !\n`;

  it.each([
    ['denies a property no section matches', open('^x_'), 'foo', false],
    ['the first matching section wins', closed('foo') + open('f.*'), 'foo', false],
    ['... whichever it is', open('f.*') + closed('foo'), 'foo', true],
    ['sections are searched anywhere in the name', open('foo'), 'xfooy', true],
    ['^ anchors at the start', open('^foo'), 'xfoo', false],
    ['$ anchors at the end', open('foo$'), 'foox', false],
    ['matching is case-sensitive', open('foo'), 'FOO', false],
    ['an inline group can make it case-insensitive', open('[Ff][Oo][Oo]'), 'FOO', true],
  ])('%s', (_what, conf, property, allowed) => {
    expect(decide(conf, property)).toBe(allowed);
  });
});

describe('filterReadable', () => {
  it('keeps only the properties the caller may read', () => {
    const protections = protectionsOf(GLANCE_TEST_ROLES_CONF, 'roles');
    const properties = { x_owner_a: '1', x_none_read: '2', test_prop: '3', x_all_permitted_b: '4' };
    expect(filterReadable(properties, protections, caller(['member']), NO_POLICIES)).toEqual({ x_owner_a: '1', x_all_permitted_b: '4' });
    expect(filterReadable(properties, protections, caller(['admin']), NO_POLICIES)).toEqual({ x_owner_a: '1', test_prop: '3', x_all_permitted_b: '4' });
  });
});
