// The value of adjacent Python string literals (`'a''b'`, `r'\d'`, `b'x'`) as str() would
// print it: the text itself for str, `b'...'` for bytes.
import { PolicyEvaluationError } from './errors.js';
import { PythonSyntaxError, type PythonToken } from './python-lexer.js';

type StringToken = Extract<PythonToken, { type: 'string' }>;

const SIMPLE_ESCAPES: Readonly<Record<string, string>> = {
  '\\': '\\', "'": "'", '"': '"', a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v',
};
const STR_ESCAPE = /\\([0-7]{1,3}|x[\s\S]{0,2}|u[\s\S]{0,4}|U[\s\S]{0,8}|N|[\s\S])/g;
const BYTES_ESCAPE = /\\([0-7]{1,3}|x[\s\S]{0,2}|[\s\S])/g;
const HEX_LENGTH: Readonly<Record<string, number>> = { x: 2, u: 4, U: 8 };

export function stringLiteralText(tokens: readonly StringToken[]): string {
  if (tokens.some((token) => token.prefix.includes('f'))) {
    throw new PolicyEvaluationError('f-strings are not supported as check subjects');
  }
  const bytes = tokens.filter((token) => token.prefix.includes('b')).length;
  if (bytes > 0 && bytes < tokens.length) throw new PythonSyntaxError('cannot mix bytes and nonbytes literals');
  const decode = bytes > 0 ? decodeBytes : decodeStr;
  const value = tokens.map((token) => (token.prefix.includes('r') ? token.body : decode(token.body))).join('');
  if (bytes === 0) return value;
  if (tokens.some((token) => [...token.body].some((char) => char.charCodeAt(0) > 0x7f))) {
    throw new PythonSyntaxError('bytes can only contain ASCII literal characters');
  }
  return bytesRepr(value);
}

function decodeStr(body: string): string {
  return body.replace(STR_ESCAPE, (whole, escape: string) => decodeEscape(whole, escape, 0x10ffff));
}

function decodeBytes(body: string): string {
  return body.replace(BYTES_ESCAPE, (whole, escape: string) => decodeEscape(whole, escape, 0xff));
}

function decodeEscape(whole: string, escape: string, maxCode: number): string {
  const simple = SIMPLE_ESCAPES[escape];
  if (simple !== undefined) return simple;
  if (/^[0-7]/.test(escape)) return String.fromCodePoint(parseInt(escape, 8) & maxCode);
  const head = escape[0] ?? '';
  const length = HEX_LENGTH[head];
  if (length !== undefined) {
    const hex = escape.slice(1);
    if (hex.length !== length || !/^[\da-fA-F]+$/.test(hex)) throw new PythonSyntaxError(`truncated \\${head} escape`);
    const code = parseInt(hex, 16);
    if (code > maxCode) throw new PythonSyntaxError('illegal Unicode character');
    return String.fromCodePoint(code);
  }
  if (head === 'N') throw new PolicyEvaluationError('\\N{...} escapes are not supported');
  return whole; // Python keeps unknown escapes as written
}

// repr(bytes): printable ASCII as is, everything else as \xhh.
function bytesRepr(value: string): string {
  const quote = value.includes("'") && !value.includes('"') ? '"' : "'";
  let body = '';
  for (const char of value) {
    const code = char.charCodeAt(0);
    if (char === '\\' || char === quote) body += `\\${char}`;
    else if (char === '\t') body += '\\t';
    else if (char === '\n') body += '\\n';
    else if (char === '\r') body += '\\r';
    else if (code < 0x20 || code >= 0x7f) body += `\\x${code.toString(16).padStart(2, '0')}`;
    else body += char;
  }
  return `b${quote}${body}${quote}`;
}
