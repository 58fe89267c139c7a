// Renders a parsed rule the way oslo.policy's check classes print themselves (`__str__`),
// so parse trees can be compared with oslo's across the differential test.
import type { PolicyNode } from '../../domain/policy/ast.js';

export function formatLikeOslo(node: PolicyNode): string {
  switch (node.type) {
    case 'always':
      return '@';
    case 'never':
    case 'malformed':
      return '!';
    case 'bareToken':
      return node.token;
    case 'rule':
      return `rule:${node.name}`;
    case 'role':
      return `role:${node.match}`;
    case 'generic':
    case 'external':
      return `${node.kind}:${node.match}`;
    case 'not':
      return `not ${formatLikeOslo(node.operand)}`;
    case 'and':
      return `(${node.operands.map(formatLikeOslo).join(' and ')})`;
    case 'or':
      return `(${node.operands.map(formatLikeOslo).join(' or ')})`;
  }
}
