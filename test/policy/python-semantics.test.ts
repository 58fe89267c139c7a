// The Python behaviour oslo.policy's decisions rest on: str()/repr() of values, `%`
// formatting with a mapping, and what ast.literal_eval makes of a check's left side.
// Each table is also checked against the Debian Python interpreter when it is installed.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PolicyEvaluationError } from '../../domain/policy/errors.js';
import { substitute } from '../../domain/policy/python-format.js';
import { classifyCheckKind } from '../../domain/policy/python-literal.js';
import { pythonFloatRepr, pythonRepr } from '../../domain/policy/python-values.js';
import { ORACLE_PYTHON } from './oslo-oracle.js';

const FLOAT_REPR_TABLE: readonly (readonly [number, string])[] = [
  [1.5, '1.5'], [0.1, '0.1'], [1e16, '1e+16'], [1e15, '1000000000000000.0'], [2.5e-7, '2.5e-07'],
  [0.0001, '0.0001'], [0.00001, '1e-05'], [-0, '-0.0'], [123.456, '123.456'], [-42.25, '-42.25'],
  [1.7976931348623157e308, '1.7976931348623157e+308'], [5e-324, '5e-324'], [1e22, '1e+22'],
];

const REPR_TABLE: readonly (readonly [unknown, string])[] = [
  ["it's", `"it's"`], ['a"b', `'a"b'`], [`a'b"c`, `'a\\'b"c'`], ['\n\t\r', `'\\n\\t\\r'`], ['\x00\x7f', `'\\x00\\x7f'`],
  ['é', `'é'`], ['\u200b', `'\\u200b'`], ['\u{1F600}', `'\u{1F600}'`], ['\\', `'\\\\'`], ['\u00a0', `'\\xa0'`],
  [[1, 'a', null, true], `[1, 'a', None, True]`], [{ a: 1, b: [false] }, `{'a': 1, 'b': [False]}`], [7, '7'], [0.5, '0.5'],
];

// Outcomes other than a formatted string, as sentinels no template here can produce.
const MISSING = '<missing key>';
const FAILED = '<format error>';
const TARGET = { a: 'xy', flag: true, n: 3.9, none: null, list: ['q'], 'dotted.key': 'd', '(p)': 'paren' };
const SUBSTITUTION_TABLE: readonly (readonly [string, string])[] = [
  ['plain', 'plain'], ['%(a)s', 'xy'], ['<%(a)s|%(a)s>', '<xy|xy>'], ['%(flag)s', 'True'], ['%(n)s', '3.9'],
  ['%(none)s', 'None'], ['%(list)s', "['q']"], ['%(dotted.key)s', 'd'], ['%((p))s', 'paren'], ['%(a)r', "'xy'"],
  ['%(a)5s', '   xy'], ['%(a)-5s|', 'xy   |'], ['%(a).1s', 'x'], ['%(flag)d', '1'], ['%(n)i', '3'], ['100%%', '100%'],
  ['%(missing)s', MISSING], ['%(missing)q', MISSING], ['%(a)q', FAILED], ['50%', FAILED], ['%(a)', FAILED],
  ['%(a', FAILED], ['%(a)d', FAILED], ['%(a)*s', FAILED], ['%s %s', FAILED],
];

type Subject = { literal: string } | { path: string[] } | 'error';
const KIND_TABLE: readonly (readonly [string, Subject])[] = [
  ['project_id', { path: ['project_id'] }], ['user.enabled', { path: ['user', 'enabled'] }],
  ['user-name', { path: ['user-name'] }], ['f(x)', { path: ['f(x)'] }], ['True.x', { path: ['True', 'x'] }],
  ['-True', { path: ['-True'] }], ['a[0]', { path: ['a[0]'] }], ['a,b', { path: ['a,b'] }], ['a==b', { path: ['a==b'] }],
  ["'public'", { literal: 'public' }], ['"shared"', { literal: 'shared' }], ["'a''b'", { literal: 'ab' }],
  ["u'x'", { literal: 'x' }], ["r'\\d'", { literal: '\\d' }], ["'\\x41\\101\\u00e9'", { literal: 'AAé' }],
  ["'\\q'", { literal: '\\q' }], ["'''t'''", { literal: 't' }], ["b'x'", { literal: "b'x'" }], ["b'\\xff'", { literal: "b'\\xff'" }],
  ['True', { literal: 'True' }], ['False', { literal: 'False' }], ['None', { literal: 'None' }], ['...', { literal: 'Ellipsis' }],
  ['1', { literal: '1' }], ['-1', { literal: '-1' }], ['+7', { literal: '7' }], ['0x1f', { literal: '31' }],
  ['0o17', { literal: '15' }], ['0b101', { literal: '5' }], ['1_000', { literal: '1000' }], ['00', { literal: '0' }],
  ['1.5', { literal: '1.5' }], ['1.', { literal: '1.0' }], ['.5', { literal: '0.5' }], ['1e16', { literal: '1e+16' }],
  ['-2.5e-7', { literal: '-2.5e-07' }], ['1e400', { literal: 'inf' }], ['1j', { literal: '1j' }], ['2.0j', { literal: '2j' }],
  ['-1.5j', { literal: '(-0-1.5j)' }], ["'p'#comment", { literal: 'p' }], ['a#b', { path: ['a#b'] }],
  ['', 'error'], ['#', 'error'], ['1a', 'error'], ['01', 'error'], ['1__0', 'error'], ['0x', 'error'], ["'open", 'error'],
  ["'''", 'error'], ['not', 'error'], ['lambda', 'error'], ['a..b', 'error'], ['a.', 'error'], ['$x', 'error'],
  ['a=b', 'error'], ['a->b', 'error'], ['\\x', 'error'], ["'\\x4'", 'error'],
];

function classify(kind: string): Subject {
  try {
    const subject = classifyCheckKind(kind);
    return subject.type === 'literal' ? { literal: subject.text } : { path: [...subject.path] };
  } catch (error) {
    if (error instanceof PolicyEvaluationError) return 'error';
    throw error;
  }
}

function runPython(code: string, input: unknown): unknown {
  const run = spawnSync(ORACLE_PYTHON, ['-c', code], { input: JSON.stringify(input), encoding: 'utf8' });
  if (run.status !== 0) throw new Error(run.stderr);
  return JSON.parse(run.stdout);
}

const PYTHON_SUBJECTS = `
import ast, json, sys
def subject(kind):
    try:
        return {'literal': str(ast.literal_eval(kind))}
    except ValueError:
        return {'path': kind.split('.')}
    except SyntaxError:
        return 'error'
print(json.dumps([subject(kind) for kind in json.load(sys.stdin)]))
`;

const PYTHON_SUBSTITUTIONS = `
import json, sys
request = json.load(sys.stdin)
def substitute(template):
    try:
        return template % request['target']
    except KeyError:
        return request['missing']
    except (ValueError, TypeError):
        return request['failed']
print(json.dumps([substitute(t) for t in request['templates']]))
`;

const PYTHON_REPRS = `
import json, sys
request = json.load(sys.stdin)
print(json.dumps({'floats': [repr(float(x)) for x in request['floats']], 'values': [repr(v) for v in request['values']]}))
`;

describe('Python semantics', () => {
  it.each(FLOAT_REPR_TABLE)('repr(%d) is %s', (value, expected) => expect(pythonFloatRepr(value)).toBe(expected));
  it.each(REPR_TABLE)('repr(%j) is %s', (value, expected) => expect(pythonRepr(value)).toBe(expected));

  it.each(SUBSTITUTION_TABLE)('%j %% target gives %j', (template, expected) => {
    let outcome: string;
    try {
      const result = substitute(template, TARGET);
      outcome = result.found ? result.text : MISSING;
    } catch (error) {
      if (!(error instanceof PolicyEvaluationError)) throw error;
      outcome = FAILED;
    }
    expect(outcome).toBe(expected);
  });

  it.each(KIND_TABLE)('literal_eval(%j) gives %j', (kind, expected) => expect(classify(kind)).toEqual(expected));

  it('fails closed on the Python strata does not model: named escapes, f-strings', () => {
    expect(classify("'\\N{HYPHEN}'")).toBe('error');
    expect(classify("f'x'")).toBe('error');
  });

  describe.skipIf(!existsSync(ORACLE_PYTHON))('against Python', () => {
    it('repr agrees', () => {
      const python = runPython(PYTHON_REPRS, { floats: FLOAT_REPR_TABLE.map(([value]) => (Object.is(value, -0) ? '-0.0' : value)), values: REPR_TABLE.map(([value]) => value) });
      expect(python).toEqual({ floats: FLOAT_REPR_TABLE.map(([, text]) => text), values: REPR_TABLE.map(([, text]) => text) });
    });
    it('% formatting agrees', () => {
      const python = runPython(PYTHON_SUBSTITUTIONS, { target: TARGET, missing: MISSING, failed: FAILED, templates: SUBSTITUTION_TABLE.map(([template]) => template) });
      expect(python).toEqual(SUBSTITUTION_TABLE.map(([, expected]) => expected));
    });
    it('literal_eval agrees', () => {
      const python = runPython(PYTHON_SUBJECTS, KIND_TABLE.map(([kind]) => kind));
      expect(python).toEqual(KIND_TABLE.map(([, subject]) => subject));
    });
  });
});
