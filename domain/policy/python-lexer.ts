// A lexer for the one-word Python expressions that oslo.policy hands to
// `ast.literal_eval` (the left side of a generic check such as `'public':%(visibility)s`).
// It only needs to tell literals, other valid expressions and Python syntax errors apart.
import { PolicyEvaluationError } from './errors.js';

export type PythonToken =
  | { readonly type: 'name'; readonly text: string }
  | { readonly type: 'number'; readonly text: string; readonly imaginary: boolean; readonly float: boolean }
  | { readonly type: 'string'; readonly prefix: string; readonly body: string }
  | { readonly type: 'op'; readonly text: string };

export class PythonSyntaxError extends PolicyEvaluationError {}

const IDENTIFIER = /[\p{XID_Start}_][\p{XID_Continue}]*/uy;
const DIGITS = String.raw`\d(?:_?\d)*`;
const NUMBER = new RegExp(
  String.raw`0[xX](?:_?[\da-fA-F])+|0[oO](?:_?[0-7])+|0[bB](?:_?[01])+|` +
    String.raw`(?:${DIGITS}\.(?:${DIGITS})?|\.${DIGITS})(?:[eE][+-]?${DIGITS})?[jJ]?|` +
    String.raw`${DIGITS}(?:[eE][+-]?${DIGITS})?[jJ]?`,
  'y',
);
const OPERATORS = ['...', '**', '//', '<<', '>>', '<=', '>=', '==', '!=', '->',
  '+', '-', '*', '/', '%', '@', '&', '|', '^', '~', '<', '>', '(', ')', '[', ']', '{', '}', ',', '.', '=', ';'];
const STRING_PREFIXES = new Set(['r', 'u', 'f', 'b', 'br', 'rb', 'fr', 'rf']);
const IDENTIFIER_CHAR = /[\p{XID_Continue}]/u;

export function lexPython(source: string): PythonToken[] {
  const tokens: PythonToken[] = [];
  let pos = 0;
  while (pos < source.length) {
    const char = source[pos] ?? '';
    if (char === '#') break; // a comment runs to the end of the line
    if (char === "'" || char === '"') {
      const [token, end] = lexString(source, pos, '');
      tokens.push(token);
      pos = end;
      continue;
    }
    if (/\d/.test(char) || (char === '.' && /\d/.test(source[pos + 1] ?? ''))) {
      NUMBER.lastIndex = pos;
      const text = NUMBER.exec(source)?.[0] ?? char;
      pos += text.length;
      if (IDENTIFIER_CHAR.test(source[pos] ?? '')) throw new PythonSyntaxError(`invalid decimal literal: ${source}`);
      tokens.push(numberToken(text, source));
      continue;
    }
    IDENTIFIER.lastIndex = pos;
    const name = IDENTIFIER.exec(source)?.[0];
    if (name !== undefined) {
      const next = source[pos + name.length];
      if ((next === "'" || next === '"') && STRING_PREFIXES.has(name.toLowerCase())) {
        const [token, end] = lexString(source, pos + name.length, name.toLowerCase());
        tokens.push(token);
        pos = end;
      } else {
        tokens.push({ type: 'name', text: name });
        pos += name.length;
      }
      continue;
    }
    const operator = OPERATORS.find((candidate) => source.startsWith(candidate, pos));
    if (operator === undefined) throw new PythonSyntaxError(`invalid character "${char}" in ${source}`);
    tokens.push({ type: 'op', text: operator });
    pos += operator.length;
  }
  return tokens;
}

function numberToken(text: string, source: string): PythonToken {
  const imaginary = /[jJ]$/.test(text);
  const radix = /^0[xXoObB]/.test(text);
  const float = !radix && !imaginary && /[.eE]/.test(text);
  if (!radix && !float && !imaginary && /^0[0_]*[1-9]/.test(text)) {
    throw new PythonSyntaxError(`leading zeros in decimal integer literals are not permitted: ${source}`);
  }
  return { type: 'number', text, imaginary, float };
}

function lexString(source: string, start: number, prefix: string): [PythonToken, number] {
  const single = source[start] ?? '';
  const delimiter = source.startsWith(single.repeat(3), start) ? single.repeat(3) : single;
  let pos = start + delimiter.length;
  while (pos < source.length) {
    if (source[pos] === '\\') pos += 2;
    else if (source.startsWith(delimiter, pos)) {
      const body = source.slice(start + delimiter.length, pos);
      return [{ type: 'string', prefix, body }, pos + delimiter.length];
    } else pos += 1;
  }
  throw new PythonSyntaxError(`unterminated string literal: ${source}`);
}
