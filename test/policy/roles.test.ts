import { describe, expect, it } from 'vitest';
import { expandImpliedRoles } from '../../domain/policy/roles.js';

const EXPANSION_TABLE: readonly (readonly [granted: string[], expanded: string[]])[] = [
  [[], []],
  [['admin'], ['admin', 'member', 'reader']],
  [['member'], ['member', 'reader']],
  [['reader'], ['reader']],
  [['Member'], ['Member', 'reader']],
  [['ADMIN', 'member'], ['ADMIN', 'member', 'reader']],
  [['reader', 'admin'], ['reader', 'admin', 'member']],
  [['observer', 'member'], ['observer', 'member', 'reader']],
  [['member', 'MEMBER'], ['member', 'reader']],
];

describe('expandImpliedRoles', () => {
  it.each(EXPANSION_TABLE)('%j expands to %j', (granted, expanded) => {
    expect(expandImpliedRoles(granted)).toEqual(expanded);
  });

  it('follows custom implications transitively and stops at cycles', () => {
    const implications = new Map([
      ['operator', ['auditor']],
      ['auditor', ['viewer']],
      ['viewer', ['operator']],
    ]);
    expect(expandImpliedRoles(['Operator'], implications)).toEqual(['Operator', 'auditor', 'viewer']);
  });
});
