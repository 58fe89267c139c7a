// The evaluator, table-driven: each row is a rule, a target and credentials with the
// decision oslo.policy reaches ('error' where oslo raises while enforcing; strata then
// denies). Rows may refer to the named rules of RULES. The table is checked against the
// real oslo.policy when it is installed.
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Credentials } from '../../domain/policy/credentials.js';
import { Enforcer } from '../../domain/policy/enforcer.js';
import { buildRuleSet } from '../../domain/policy/rule-set.js';
import { askOslo, ORACLE_PYTHON, type OracleCase, type OracleDecision } from './oslo-oracle.js';

const RULES = {
  is_admin_role: 'role:admin',
  owner: 'project_id:%(project_id)s',
  admin_or_owner: 'rule:is_admin_role or rule:owner',
  broken: 'role:a)',
  bare: "'x'",
  loop: 'rule:loop',
  ping: 'rule:pong',
  pong: 'role:admin or rule:ping',
  default: 'role:fallback',
};

const MEMBER: Credentials = {
  user_id: 'u1',
  project_id: 'p1',
  roles: ['Member', 'reader'],
  is_admin: false,
  user: { enabled: true, name: 'alice', groups: ['g1', 'g2'] },
  tags: [{ k: 'v1' }, { k: 'v2' }],
  quota: 5,
  ratio: 0.5,
  nothing: null,
};
const ADMIN: Credentials = { user_id: 'u0', project_id: 'p0', roles: ['ADMIN'], is_admin: true };
const SYSTEM: Credentials = { user_id: 'u9', project_id: null, roles: ['admin'], system_scope: 'all' };
const TARGET = {
  project_id: 'p1',
  owner: 'p1',
  visibility: 'public',
  flag: true,
  count: 5,
  ratio: 0.5,
  none: null,
  'user.enabled': 'True',
  names: ['a', "b'c"],
};

type Row = readonly [what: string, rule: string, target: Readonly<Record<string, unknown>>, credentials: Credentials, expected: OracleDecision];

const EVALUATION_TABLE: readonly Row[] = [
  ['empty rule passes', '', {}, MEMBER, 'allow'],
  ['@ passes', '@', {}, MEMBER, 'allow'],
  ['! fails', '!', {}, ADMIN, 'deny'],
  ['malformed rule fails closed', 'role:admin)', {}, ADMIN, 'deny'],
  ['check without colon fails closed', 'admin', {}, ADMIN, 'deny'],
  ['role held, other case', 'role:member', {}, MEMBER, 'allow'],
  ['role held, upper case in rule', 'role:READER', {}, MEMBER, 'allow'],
  ['role not held', 'role:admin', {}, MEMBER, 'deny'],
  ['role from target', 'role:%(visibility)s', { visibility: 'member' }, MEMBER, 'allow'],
  ['role from missing target key', 'role:%(missing)s', {}, MEMBER, 'deny'],
  ['not of a missing key passes', 'not role:%(missing)s', {}, MEMBER, 'allow'],
  ['no roles in credentials', 'role:admin', {}, { user_id: 'u', project_id: 'p', roles: [] }, 'deny'],
  ['owner by substitution', 'project_id:%(project_id)s', TARGET, MEMBER, 'allow'],
  ['other owner', 'project_id:%(project_id)s', { project_id: 'p2' }, MEMBER, 'deny'],
  ['missing target key fails', 'project_id:%(owner)s', {}, MEMBER, 'deny'],
  ['literal right side', 'user_id:u1', {}, MEMBER, 'allow'],
  ['credential missing', 'domain_id:d1', {}, MEMBER, 'deny'],
  ['null project compares as None', 'project_id:None', {}, SYSTEM, 'allow'],
  ['boolean credential compares as True', 'is_admin:True', {}, ADMIN, 'allow'],
  ['boolean credential is case-sensitive', 'is_admin:true', {}, ADMIN, 'deny'],
  ['number credential', 'quota:5', {}, MEMBER, 'allow'],
  ['float credential', 'ratio:0.5', {}, MEMBER, 'allow'],
  ['null credential', 'nothing:None', {}, MEMBER, 'allow'],
  ['nested credential', 'user.name:alice', {}, MEMBER, 'allow'],
  ['nested boolean credential', 'user.enabled:%(user.enabled)s', TARGET, MEMBER, 'allow'],
  ['list credential matches any element', 'user.groups:g2', {}, MEMBER, 'allow'],
  ['list of dicts walked', 'tags.k:v2', {}, MEMBER, 'allow'],
  ['roles as a generic check is case-sensitive', 'roles:member', {}, MEMBER, 'deny'],
  ['looking inside a string errors', 'user.name.x:a', {}, MEMBER, 'error'],
  ['looking inside a list of strings errors', 'roles.x:a', {}, MEMBER, 'error'],
  ['looking inside a missing key fails', 'absent.x:a', {}, MEMBER, 'deny'],
  ['quoted literal equals target', "'public':%(visibility)s", TARGET, MEMBER, 'allow'],
  ['double-quoted literal', '"public":%(visibility)s', TARGET, MEMBER, 'allow'],
  ['literal differs from target', "'shared':%(visibility)s", TARGET, MEMBER, 'deny'],
  ['True literal against boolean target', 'True:%(flag)s', TARGET, MEMBER, 'allow'],
  ['number literal against number target', '5:%(count)s', TARGET, MEMBER, 'allow'],
  ['hex literal', '0x5:%(count)s', TARGET, MEMBER, 'allow'],
  ['float literal', '0.5:%(ratio)s', TARGET, MEMBER, 'allow'],
  ['float literal printed the Python way', '5.0:5.0', {}, MEMBER, 'allow'],
  ['None literal against null target', 'None:%(none)s', TARGET, MEMBER, 'allow'],
  ['negative literal', '-1:-1', {}, MEMBER, 'allow'],
  ['concatenated string literal', "'pub''lic':%(visibility)s", TARGET, MEMBER, 'allow'],
  ['escaped string literal', "'\\x70ublic':%(visibility)s", TARGET, MEMBER, 'allow'],
  ['raw string literal keeps backslashes', "r'\\d':\\d", {}, MEMBER, 'allow'],
  ['bytes literal prints with b prefix', "b'x':b'x'", {}, MEMBER, 'allow'],
  ['imaginary literal', '2j:2j', {}, MEMBER, 'allow'],
  ['list target prints as a Python list', "names:%(names)s", { names: ['a'] }, { ...MEMBER, names: "['a']" }, 'allow'],
  ['repr conversion', "'\\'public\\'':%(visibility)r", TARGET, MEMBER, 'allow'],
  ['integer conversion of a boolean', '1:%(flag)d', TARGET, MEMBER, 'allow'],
  ['width and precision', 'padded:%(visibility)4.2s', TARGET, { ...MEMBER, padded: '  pu' }, 'allow'],
  ['precision then literal text', "'pu|':%(visibility).2s|", TARGET, MEMBER, 'allow'],
  ['left-justified width', 'padded:%(visibility)-8s|', TARGET, { ...MEMBER, padded: 'public  |' }, 'allow'],
  ['%% is a percent sign', "'50%':50%%", {}, MEMBER, 'allow'],
  ['integer conversion of a string errors', '1:%(visibility)d', TARGET, MEMBER, 'error'],
  ['incomplete format errors', 'user_id:50%', {}, MEMBER, 'error'],
  ['unsupported conversion errors', 'user_id:%(owner)q', TARGET, MEMBER, 'error'],
  ['missing key wins over a bad conversion', 'user_id:%(missing)q', {}, MEMBER, 'deny'],
  ['left side with a syntax error errors', '1a:x', {}, MEMBER, 'error'],
  ['unterminated quote errors', "'open:x", {}, MEMBER, 'error'],
  ['empty left side errors', ':x', {}, MEMBER, 'error'],
  ['keyword left side errors', 'not:x', {}, MEMBER, 'error'],
  ['syntax error after a missing key is never reached', '1a:%(missing)s', {}, MEMBER, 'deny'],
  ['valid non-literal left side is a credential', 'user-name:x', {}, { ...MEMBER, 'user-name': 'x' }, 'allow'],
  ['comment in the left side', 'user_id#c:u1', {}, MEMBER, 'deny'],
  ['system_scope is also system', 'system:all', {}, SYSTEM, 'allow'],
  ['and needs both', 'role:member and project_id:%(project_id)s', TARGET, MEMBER, 'allow'],
  ['and fails on one', 'role:admin and project_id:%(project_id)s', TARGET, MEMBER, 'deny'],
  ['or needs one', 'role:admin or project_id:%(project_id)s', TARGET, MEMBER, 'allow'],
  ['not inverts', 'not role:admin', {}, MEMBER, 'allow'],
  ['precedence: or of and', 'role:admin or role:member and user_id:u2', {}, MEMBER, 'deny'],
  ['parentheses change precedence', '(role:admin or role:member) and user_id:u1', {}, MEMBER, 'allow'],
  ['or stops at the first pass, before an error', 'role:member or 1a:x', {}, MEMBER, 'allow'],
  ['or reaches an error', 'role:admin or 1a:x', {}, MEMBER, 'error'],
  ['and stops at the first failure, before an error', 'role:admin and 1a:x', {}, MEMBER, 'deny'],
  ['not of an error errors', 'not 1a:x', {}, MEMBER, 'error'],
  ['rule reference', 'rule:admin_or_owner', TARGET, MEMBER, 'allow'],
  ['rule reference fails', 'rule:admin_or_owner', { project_id: 'p2' }, MEMBER, 'deny'],
  ['unknown rule falls back to default', 'rule:nonexistent', {}, { ...MEMBER, roles: ['fallback'] }, 'allow'],
  ['unknown rule with default failing', 'rule:nonexistent', {}, MEMBER, 'deny'],
  ['reference to a malformed rule fails', 'rule:broken', {}, ADMIN, 'deny'],
  ['not of a malformed rule passes', 'not rule:broken', {}, MEMBER, 'allow'],
  ['reference to a bare token errors', 'rule:bare', {}, MEMBER, 'error'],
  ['bare token errors', "'x'", {}, MEMBER, 'error'],
  ['self reference errors', 'rule:loop', {}, ADMIN, 'error'],
  ['cycle errors when reached', 'rule:ping', {}, MEMBER, 'error'],
  ['cycle short-circuited passes', 'rule:ping', {}, ADMIN, 'allow'],
];

function decide(rule: string, target: Readonly<Record<string, unknown>>, credentials: Credentials): OracleDecision {
  const enforcer = new Enforcer(buildRuleSet(RULES, { subject: rule }).rules);
  const decision = enforcer.check('subject', target, credentials);
  if (decision.error) return 'error';
  return decision.allowed ? 'allow' : 'deny';
}

describe('policy evaluation', () => {
  it.each(EVALUATION_TABLE)('%s: %j', (_what, rule, target, credentials, expected) => {
    expect(decide(rule, target, credentials)).toBe(expected);
  });

  it.skipIf(!existsSync(ORACLE_PYTHON))('agrees with oslo.policy on every row of the table', () => {
    const cases: OracleCase[] = EVALUATION_TABLE.map(([, rule, target, credentials]) => ({
      rules: { ...RULES, subject: rule },
      action: 'subject',
      target,
      credentials,
    }));
    expect(askOslo(cases, []).decisions).toEqual(EVALUATION_TABLE.map((row) => row[4]));
  });
});
