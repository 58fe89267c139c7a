// Whether a token list is a syntactically valid Python expression, for the small forms a
// policy check's left side takes (names, attribute paths, arithmetic, calls, displays).
// Keyword-driven syntax (lambda, if-else, comprehensions, not/and/or) never occurs in one
// policy word, so any keyword other than True/False/None counts as a syntax error.
import type { PythonToken } from './python-lexer.js';

const KEYWORDS = new Set([
  'and', 'as', 'assert', 'async', 'await', 'break', 'class', 'continue', 'def', 'del', 'elif', 'else',
  'except', 'finally', 'for', 'from', 'global', 'if', 'import', 'in', 'is', 'lambda', 'nonlocal', 'not',
  'or', 'pass', 'raise', 'return', 'try', 'while', 'with', 'yield',
]);
const BINARY = new Set(['+', '-', '*', '/', '//', '%', '@', '<<', '>>', '&', '|', '^', '<', '>', '<=', '>=', '==', '!=', '**']);
const UNARY = new Set(['+', '-', '~']);
const CLOSERS: Readonly<Record<string, string>> = { '(': ')', '[': ']', '{': '}' };

export function isPythonExpression(tokens: readonly PythonToken[]): boolean {
  let pos = 0;
  const operatorAt = (): string | undefined => {
    const token = tokens[pos];
    return token?.type === 'op' ? token.text : undefined;
  };
  const isOp = (text: string): boolean => operatorAt() === text;

  // Comma-separated items up to `closer` (or the end), a trailing comma allowed.
  function items(closer: string | undefined, item: () => boolean, allowEmpty: boolean): boolean {
    const atCloser = (): boolean => (closer === undefined ? pos >= tokens.length : isOp(closer));
    if (atCloser()) return allowEmpty;
    for (;;) {
      if (!item()) return false;
      if (!isOp(',')) return true;
      pos += 1;
      if (atCloser()) return true;
    }
  }

  function argument(): boolean {
    if (isOp('*') || isOp('**')) {
      pos += 1;
      return expression();
    }
    const token = tokens[pos];
    const next = tokens[pos + 1];
    if (token?.type === 'name' && next?.type === 'op' && next.text === '=') pos += 2;
    return expression();
  }

  function group(open: string, item: () => boolean): boolean {
    const closer = CLOSERS[open] ?? '';
    pos += 1;
    if (!items(closer, item, true) || !isOp(closer)) return false;
    pos += 1;
    return true;
  }

  function atom(): boolean {
    const token = tokens[pos];
    if (token === undefined) return false;
    if (token.type === 'name') {
      pos += 1;
      return !KEYWORDS.has(token.text);
    }
    if (token.type === 'number') {
      pos += 1;
      return true;
    }
    if (token.type === 'string') {
      while (tokens[pos]?.type === 'string') pos += 1;
      return true;
    }
    if (token.text === '...') {
      pos += 1;
      return true;
    }
    return token.text in CLOSERS && group(token.text, expression);
  }

  function primary(): boolean {
    if (!atom()) return false;
    for (;;) {
      if (isOp('.')) {
        pos += 1;
        const name = tokens[pos];
        if (name?.type !== 'name' || KEYWORDS.has(name.text)) return false;
        pos += 1;
      } else if (isOp('(')) {
        if (!group('(', argument)) return false;
      } else if (isOp('[')) {
        pos += 1;
        if (!items(']', expression, false) || !isOp(']')) return false;
        pos += 1;
      } else return true;
    }
  }

  function expression(): boolean {
    while (UNARY.has(operatorAt() ?? '')) pos += 1;
    if (!primary()) return false;
    if (BINARY.has(operatorAt() ?? '')) {
      pos += 1;
      return expression();
    }
    return true;
  }

  return items(undefined, expression, false) && pos === tokens.length;
}
