// Parses oslo.policy rule text into a PolicyNode tree with the same greedy shift-reduce
// algorithm as oslo's `_parser.ParseState`, so precedence (not > and > or) and the
// treatment of malformed text come out exactly as in OpenStack: text that does not
// reduce to one expression fails closed.
import type { AndNode, OrNode, PolicyNode } from './ast.js';
import { tokenize } from './tokenize.js';

type StackKind = '(' | ')' | 'and' | 'or' | 'not' | 'string' | 'check' | 'and_expr' | 'or_expr';
// Operators and parentheses carry their text: oslo returns it when it is all that is left.
type StackValue = PolicyNode | string;

interface Reduction {
  readonly pattern: readonly StackKind[];
  readonly reduce: (values: readonly StackValue[]) => [StackKind, StackValue];
}

const node = (value: StackValue | undefined): PolicyNode => {
  if (value === undefined || typeof value === 'string') throw new Error('parser stack out of shape');
  return value;
};

const wrap = (values: readonly StackValue[]): [StackKind, StackValue] => ['check', node(values[1])];

// `a or b and c`: the and binds tighter, so it takes the last operand of the or.
function mixOrAnd(values: readonly StackValue[]): [StackKind, StackValue] {
  const or = node(values[0]) as OrNode;
  const check = node(values[2]);
  const last = node(or.operands[or.operands.length - 1]);
  const and: AndNode = last.type === 'and'
    ? { type: 'and', operands: [...last.operands, check] }
    : { type: 'and', operands: [last, check] };
  return ['or_expr', { type: 'or', operands: [...or.operands.slice(0, -1), and] }];
}

const extend = (values: readonly StackValue[]): readonly PolicyNode[] => [
  ...(node(values[0]) as AndNode | OrNode).operands,
  node(values[2]),
];

const REDUCTIONS: readonly Reduction[] = [
  { pattern: ['(', 'or_expr', ')'], reduce: wrap },
  { pattern: ['(', 'and_expr', ')'], reduce: wrap },
  { pattern: ['(', 'check', ')'], reduce: wrap },
  { pattern: ['check', 'and', 'check'], reduce: (v) => ['and_expr', { type: 'and', operands: [node(v[0]), node(v[2])] }] },
  { pattern: ['or_expr', 'and', 'check'], reduce: mixOrAnd },
  { pattern: ['and_expr', 'and', 'check'], reduce: (v) => ['and_expr', { type: 'and', operands: extend(v) }] },
  { pattern: ['and_expr', 'or', 'check'], reduce: (v) => ['or_expr', { type: 'or', operands: [node(v[0]), node(v[2])] }] },
  { pattern: ['check', 'or', 'check'], reduce: (v) => ['or_expr', { type: 'or', operands: [node(v[0]), node(v[2])] }] },
  { pattern: ['or_expr', 'or', 'check'], reduce: (v) => ['or_expr', { type: 'or', operands: extend(v) }] },
  { pattern: ['not', 'check'], reduce: (v) => ['check', { type: 'not', operand: node(v[1]) }] },
];

function endsWith(kinds: readonly StackKind[], pattern: readonly StackKind[]): boolean {
  if (kinds.length < pattern.length) return false;
  const offset = kinds.length - pattern.length;
  return pattern.every((kind, i) => kinds[offset + i] === kind);
}

/** Reduces greedily after every shift, as oslo does; at most one pattern fits a stack top. */
function reduceStack(kinds: StackKind[], values: StackValue[]): void {
  for (;;) {
    const reduction = REDUCTIONS.find((candidate) => endsWith(kinds, candidate.pattern));
    if (!reduction) return;
    const width = reduction.pattern.length;
    const [kind, value] = reduction.reduce(values.slice(-width));
    kinds.splice(-width, width, kind);
    values.splice(-width, width, value);
  }
}

export function parseRule(text: string): PolicyNode {
  if (text === '') return { type: 'always' };
  const kinds: StackKind[] = [];
  const values: StackValue[] = [];
  for (const token of tokenize(text)) {
    kinds.push(token.kind);
    values.push(token.kind === 'check' ? token.node : token.text);
    reduceStack(kinds, values);
  }
  const [only] = values;
  if (values.length !== 1 || only === undefined) {
    return { type: 'malformed', text, reason: `rule "${text}" does not parse` };
  }
  return typeof only === 'string' ? { type: 'bareToken', token: only } : only;
}
