// The rule parser, table-driven: each row is rule text and the tree oslo.policy builds for
// it, written the way oslo prints a tree (`(a or (b and c))`, `!` for text that fails
// closed). The same table is checked against the real oslo.policy when it is installed.
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseRule } from '../../domain/policy/parse.js';
import { formatLikeOslo } from './oslo-format.js';
import { askOslo, ORACLE_PYTHON } from './oslo-oracle.js';

const PARSE_TABLE: readonly (readonly [text: string, tree: string])[] = [
  // constants and single checks
  ['', '@'],
  ['@', '@'],
  ['!', '!'],
  ['role:admin', 'role:admin'],
  ['rule:admin_required', 'rule:admin_required'],
  ['project_id:%(project_id)s', 'project_id:%(project_id)s'],
  ["'public':%(visibility)s", "'public':%(visibility)s"],
  ['is_admin:True', 'is_admin:True'],
  ['a:b:c', 'a:b:c'],
  ['http://policy.example/check', 'http://policy.example/check'],
  // precedence: not > and > or, left to right
  ['role:a or role:b', '(role:a or role:b)'],
  ['role:a and role:b', '(role:a and role:b)'],
  ['role:a and role:b and role:c', '(role:a and role:b and role:c)'],
  ['role:a or role:b or role:c', '(role:a or role:b or role:c)'],
  ['role:a or role:b and role:c', '(role:a or (role:b and role:c))'],
  ['role:a and role:b or role:c', '((role:a and role:b) or role:c)'],
  ['role:a and role:b or role:c and role:d', '((role:a and role:b) or (role:c and role:d))'],
  ['role:a or role:b and role:c and role:d', '(role:a or (role:b and role:c and role:d))'],
  ['role:a or role:b and role:c or role:d', '(role:a or (role:b and role:c) or role:d)'],
  ['not role:a', 'not role:a'],
  ['not not role:a', 'not not role:a'],
  ['not role:a and role:b', '(not role:a and role:b)'],
  ['not role:a or role:b', '(not role:a or role:b)'],
  ['role:a or not role:b and role:c', '(role:a or (not role:b and role:c))'],
  // parentheses, attached or spaced, nested; a parenthesised and joins a following and
  ['(role:a)', 'role:a'],
  ['( role:a )', 'role:a'],
  ['((role:a))', 'role:a'],
  ['(role:a or role:b) and role:c', '((role:a or role:b) and role:c)'],
  ['role:a and (role:b or role:c)', '(role:a and (role:b or role:c))'],
  ['(role:a and role:b) and role:c', '((role:a and role:b) and role:c)'],
  ['role:a or (role:b and role:c) and role:d', '(role:a or (role:b and role:c and role:d))'],
  ['not (role:a or role:b)', 'not (role:a or role:b)'],
  ['((role:a or role:b) and (not role:c))', '((role:a or role:b) and not role:c)'],
  // operators in any case, any Python whitespace between words
  ['role:a AND role:b Or NOT role:c', '((role:a and role:b) or not role:c)'],
  ['role:a\tor\nrole:b', '(role:a or role:b)'],
  ['role:a\u00a0or\u3000role:b', '(role:a or role:b)'],
  ['role:a\x1cor\x1frole:b', '(role:a or role:b)'],
  ['role:a\ufeffor role:b', '!'],
  // malformed text fails closed as a whole ...
  [' ', '!'],
  ['role:a)', '!'],
  ['(role:a', '!'],
  ['role:a role:b', '!'],
  ['role:a and', '!'],
  ['or role:a', '!'],
  ['role:a not role:b', '!'],
  ['()', '!'],
  ["role:a or 'quoted'", '!'],
  // ... a check without ':' fails closed on its own ...
  ['admin', '!'],
  ['admin or role:b', '(! or role:b)'],
  ["('x')", '!'],
  ['@@', '!'],
  // ... and a rule that reduces to one bare token comes back as that token
  ["'quoted'", 'quoted'],
  ['"double quoted"', '!'],
  ['"double"', 'double'],
  ['and', 'and'],
  ['NOT', 'NOT'],
  ['(', '('],
];

describe('parseRule', () => {
  it.each(PARSE_TABLE)('%j parses to %s', (text, tree) => {
    expect(formatLikeOslo(parseRule(text))).toBe(tree);
  });

  it('tells the kinds of failure apart', () => {
    expect(parseRule('!')).toEqual({ type: 'never' });
    expect(parseRule('role:a)')).toMatchObject({ type: 'malformed', reason: 'rule "role:a)" does not parse' });
    expect(parseRule('admin')).toMatchObject({ type: 'malformed', reason: 'check "admin" has no ":"' });
    expect(parseRule("'x'")).toEqual({ type: 'bareToken', token: 'x' });
    expect(parseRule('https://x/y')).toEqual({ type: 'external', kind: 'https', match: '//x/y' });
  });

  it('splits a check at its first colon', () => {
    expect(parseRule('role:compute:admin')).toEqual({ type: 'role', match: 'compute:admin' });
    expect(parseRule("'Member':%(role.name)s")).toEqual({ type: 'generic', kind: "'Member'", match: '%(role.name)s' });
  });

  it.skipIf(!existsSync(ORACLE_PYTHON))('agrees with oslo.policy on every row of the table', () => {
    const parsed = askOslo([], PARSE_TABLE.map(([text]) => text)).parsed;
    expect(parsed).toEqual(PARSE_TABLE.map(([, tree]) => tree));
  });
});
