// What oslo.policy's GenericCheck makes of its left side: `ast.literal_eval(kind)` either
// yields a literal (then `str(literal)` is compared with the right side), or raises
// ValueError for a valid non-literal expression (then the kind is a dotted path into the
// credentials), or raises SyntaxError, which escapes oslo and aborts the enforcement.
import { lexPython, PythonSyntaxError, type PythonToken } from './python-lexer.js';
import { pythonFloatRepr } from './python-values.js';
import { isPythonExpression } from './python-grammar.js';
import { stringLiteralText } from './python-string-literal.js';

export type CheckSubject =
  | { readonly type: 'literal'; readonly text: string }
  | { readonly type: 'credential'; readonly path: readonly string[] };

const CONSTANTS: Readonly<Record<string, string>> = { True: 'True', False: 'False', None: 'None' };

export function classifyCheckKind(kind: string): CheckSubject {
  const tokens = lexPython(kind);
  const literal = literalText(tokens);
  if (literal !== undefined) return { type: 'literal', text: literal };
  if (!isPythonExpression(tokens)) throw new PythonSyntaxError(`"${kind}" is not a Python expression`);
  return { type: 'credential', path: kind.split('.') };
}

function literalText(tokens: readonly PythonToken[]): string | undefined {
  const [first, second, ...rest] = tokens;
  if (first === undefined) return undefined;
  const strings = tokens.filter((token) => token.type === 'string');
  if (strings.length === tokens.length) return stringLiteralText(strings);
  if (second === undefined && first.type === 'name') return CONSTANTS[first.text];
  if (second === undefined && first.type === 'op' && first.text === '...') return 'Ellipsis';
  if (second === undefined && first.type === 'number') return numberText(first, '');
  const signed = first.type === 'op' && (first.text === '-' || first.text === '+');
  if (signed && second?.type === 'number' && rest.length === 0) return numberText(second, first.text);
  return undefined;
}

function numberText(token: Extract<PythonToken, { type: 'number' }>, sign: string): string {
  const digits = token.text.replaceAll('_', '');
  if (token.imaginary) return imaginaryText(Number(digits.slice(0, -1)), sign === '-');
  if (token.float) return pythonFloatRepr(Number(`${sign}${digits}`));
  const magnitude = BigInt(digits);
  return (sign === '-' ? -magnitude : magnitude).toString();
}

// str(complex): a pure imaginary prints its magnitude without ".0"; negating one yields
// the complex (-0.0, -x), which prints with its negative-zero real part.
function imaginaryText(magnitude: number, negative: boolean): string {
  const imaginary = pythonFloatRepr(magnitude).replace(/\.0$/, '');
  return negative ? `(-0-${imaginary}j)` : `${imaginary}j`;
}
