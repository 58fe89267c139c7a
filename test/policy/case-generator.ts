// Random policy cases for the differential test: rule sets built from every construct of
// the rule language (including malformed text), with credentials and targets drawn from
// one small pool of values so that checks pass about as often as they fail.
import fc from 'fast-check';
import type { OracleCase } from './oslo-oracle.js';

const RULE_NAMES = ['r0', 'r1', 'r2', 'r3'];
const REFERENCED_NAMES = [...RULE_NAMES, 'default', 'undefined_rule'];
const ROLES = ['admin', 'member', 'reader', 'Admin', 'MEMBER', 'Reader', 'observer', 'rôle', 'RÔLE'];

// Left sides: credential paths, Python literals, valid non-literals and Python syntax errors.
const KINDS = [
  'project_id', 'user_id', 'is_admin', 'roles', 'user.enabled', 'user.name', 'groups', 'tags.k',
  'nested.list.x', 'system', 'missing_key', 'user-name', 'True.x', 'f(x)', '-True', '[1]',
  "'public'", '"shared"', 'True', 'False', 'None', '1', '-1', '+31', '0x1f', '0o37', '1_000', '1.5',
  '1e16', '2.5e-7', "'a''b'", "u'p1'", "r'\\d'", "'\\x70\\x31'", "'''p2'''", 'a#b', "'p1'#x",
  '', '1a', "'open", 'not', 'a..b', '$x', 'roles.name', 'is_admin.x', '01', "b'x'", '1j',
  '-1.5j', '1.', '.5', '1e', '0x', '1__0', "'\\N{DASH}'", "'''", '"it\'s"', 'None.x', 'a[0]', 'a()',
  'a,b', '1,2', 'a=b', 'a==b', 'a->b', 'lambda', "b'\\xff'", "'\\u00e9'", "'\\x4'", 'a.b.c', '\\x',
];
// Right sides: substitutions (present, missing, non-string, odd formats) and literals.
const MATCHES = [
  '%(project_id)s', '%(owner)s', '%(visibility)s', '%(member_id)s', '%(flag)s', '%(count)s',
  '%(ratio)s', '%(none)s', '%(missing)s', '%(user.enabled)s', '%(list)s', '%(count)d', '%(flag)d',
  '%(owner)r', '%(owner).1s', 'x%(owner)sy', '%%', '50%', '%(owner)q', '%s', '%(owner)s%(missing)s',
  'p1', 'p2', 'u1', 'True', 'False', 'None', 'public', 'shared', 'admin', '1', '31', '1000', '1.5',
  '2.5e-07', 'all', 'g1', 'v', 'ab', '\\d', '%(owner)5s', '%(owner)-4s|', '%(owner)*s', '%()s',
  '%(owner)', '%(a(b)c)s', "b'\\xff'", '-1.5j', '(-0-1.5j)', 'é', '%(ratio)r', '%(list)r',
];
const MALFORMED = ['admin', "'quoted'", '"double"', '@@', ':', 'x', "'role:admin'"];
const SEPARATORS = [' ', ' ', ' ', '  ', '\t', '\n', '\x1c', '\u00a0', '\u3000'];

const separator = fc.constantFrom(...SEPARATORS);
const withCase = (word: string): fc.Arbitrary<string> => fc.constantFrom(word, word.toUpperCase(), word[0]?.toUpperCase() + word.slice(1));

const check: fc.Arbitrary<string> = fc.oneof(
  { weight: 1, arbitrary: fc.constantFrom('@', '!') },
  { weight: 3, arbitrary: fc.constantFrom(...REFERENCED_NAMES).map((name) => `rule:${name}`) },
  { weight: 4, arbitrary: fc.constantFrom(...ROLES, '%(visibility)s', '%(missing)s').map((role) => `role:${role}`) },
  { weight: 6, arbitrary: fc.tuple(fc.constantFrom(...KINDS), fc.constantFrom(...MATCHES)).map(([kind, match]) => `${kind}:${match}`) },
  { weight: 1, arbitrary: fc.constantFrom(...MALFORMED) },
);

const expression: fc.Arbitrary<string> = fc.letrec<{ expr: string }>((tie) => ({
  expr: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    check,
    fc.tuple(withCase('not'), separator, tie('expr')).map((parts) => parts.join('')),
    fc.tuple(tie('expr'), separator, withCase('and'), separator, tie('expr')).map((parts) => parts.join('')),
    fc.tuple(tie('expr'), separator, withCase('or'), separator, tie('expr')).map((parts) => parts.join('')),
    fc.tuple(tie('expr'), fc.boolean()).map(([inner, spaced]) => (spaced ? `( ${inner} )` : `(${inner})`)),
  ),
})).expr;

// Damage a well-formed rule: drop a word, or add a stray parenthesis or operator.
const damaged = fc.tuple(expression, fc.nat(), fc.constantFrom('drop', '(', ')', 'and', 'or', 'not')).map(([text, at, how]) => {
  const words = text.split(' ');
  const index = at % Math.max(words.length, 1);
  if (how === 'drop') words.splice(index, 1);
  else words.splice(index, 0, how);
  return words.join(' ');
});

const ruleText = fc.oneof(
  { weight: 8, arbitrary: expression },
  { weight: 2, arbitrary: damaged },
  { weight: 1, arbitrary: fc.constantFrom('', ' ', '(', 'and', 'not', '()', '"x"') },
);

const ruleSet = fc.record(
  { r0: ruleText, r1: ruleText, r2: ruleText, r3: ruleText, default: ruleText },
  { requiredKeys: ['r0', 'r1', 'r2', 'r3'] },
);

const credentials = fc.record(
  {
    user_id: fc.constantFrom('u1', 'u2'),
    project_id: fc.constantFrom('p1', 'p2', null),
    roles: fc.subarray(ROLES),
    is_admin: fc.boolean(),
    system_scope: fc.constantFrom('all', ''),
    user: fc.record({ enabled: fc.boolean(), name: fc.constantFrom('u1', 'u2') }),
    groups: fc.subarray(['g1', 'p1', 'ab']),
    tags: fc.constant([{ k: 'v' }, { k: 'p1' }]),
    nested: fc.constant({ list: [{ x: '1' }, { x: 'True' }] }),
  },
  { requiredKeys: ['user_id', 'project_id', 'roles'] },
);

const target = fc.record(
  {
    project_id: fc.constantFrom('p1', 'p2'),
    owner: fc.constantFrom('p1', 'p2', 'ab'),
    visibility: fc.constantFrom('public', 'private', 'shared', 'community', 'admin'),
    member_id: fc.constantFrom('p1', 'p2'),
    flag: fc.boolean(),
    count: fc.constantFrom(1, 31, 1000),
    ratio: fc.constantFrom(1.5, 2.5e-7),
    none: fc.constant(null),
    'user.enabled': fc.constantFrom('True', 'False'),
    list: fc.constant(['a', "b'c"]),
  },
  { requiredKeys: [] },
);

const oracleCase: fc.Arbitrary<OracleCase> = fc.record({
  rules: ruleSet,
  action: fc.constantFrom(...RULE_NAMES, 'default', 'unknown_action'),
  target,
  credentials,
});

export function generateCases(count: number, seed: number): OracleCase[] {
  return fc.sample(oracleCase, { numRuns: count, seed });
}
