// Splits policy text into tokens the way oslo.policy's `_parse_tokenize` does, including
// its quirks: parentheses are peeled off the ends of whitespace-separated words only, a
// word wrapped in quotes becomes a string token, and and/or/not match in any case.
import type { PolicyNode } from './ast.js';

export type Token =
  | { readonly kind: '(' | ')'; readonly text: string }
  | { readonly kind: 'and' | 'or' | 'not'; readonly text: string }
  | { readonly kind: 'string'; readonly text: string }
  | { readonly kind: 'check'; readonly node: PolicyNode };

// Python's `\s` (str.isspace), which differs from JavaScript's: it includes U+001C–U+001F
// and U+0085 but not U+FEFF. A different split would change what counts as one check.
// eslint-disable-next-line no-control-regex -- those control characters are the point
const PYTHON_WHITESPACE = /[\t\n\v\f\r\x1c-\x20\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/;

const OPERATORS = new Set(['and', 'or', 'not']);
const EXTERNAL_KINDS = new Set(['http', 'https']);

export function* tokenize(rule: string): Generator<Token> {
  for (const word of rule.split(PYTHON_WHITESPACE)) {
    if (word === '') continue;
    const withoutLeading = word.replace(/^\(+/, '');
    for (let i = word.length - withoutLeading.length; i > 0; i--) yield { kind: '(', text: '(' };
    if (withoutLeading === '') continue;

    const core = withoutLeading.replace(/\)+$/, '');
    const lowered = core.toLowerCase();
    if (OPERATORS.has(lowered)) {
      yield { kind: lowered as 'and' | 'or' | 'not', text: core };
    } else if (core !== '') {
      // oslo tests the quotes before peeling trailing parentheses, so `'x')` is a check.
      if (isQuoted(withoutLeading)) yield { kind: 'string', text: withoutLeading.slice(1, -1) };
      else yield { kind: 'check', node: parseCheck(core) };
    }
    for (let i = withoutLeading.length - core.length; i > 0; i--) yield { kind: ')', text: ')' };
  }
}

function isQuoted(word: string): boolean {
  if (word.length < 2) return false;
  const first = word[0];
  return (first === '"' || first === "'") && word[word.length - 1] === first;
}

/** One check, e.g. `role:admin`, `rule:x`, `project_id:%(owner)s`, `@`, `!`. */
export function parseCheck(text: string): PolicyNode {
  if (text === '!') return { type: 'never' };
  if (text === '@') return { type: 'always' };
  const colon = text.indexOf(':');
  if (colon < 0) return { type: 'malformed', text, reason: `check "${text}" has no ":"` };
  const kind = text.slice(0, colon);
  const match = text.slice(colon + 1);
  if (EXTERNAL_KINDS.has(kind)) return { type: 'external', kind, match };
  if (kind === 'rule') return { type: 'rule', name: match };
  if (kind === 'role') return { type: 'role', match };
  return { type: 'generic', kind, match };
}
