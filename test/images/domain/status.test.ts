// The status machine against Glance's transition table, every pair of statuses.
import { describe, expect, it } from 'vitest';
import { DomainError } from '../../../domain/decider.js';
import { canTransition, requireTransition } from '../../../domain/image/status.js';
import { IMAGE_STATUSES } from '../../../domain/image/vocabulary.js';
import type { ImageStatus } from '../../../domain/image/vocabulary.js';

// Copied from glance/domain/__init__.py, as the reference states it: the oracle.
const GLANCE_TABLE = `
queued:         saving uploading importing active deleted
saving:         active killed deleted queued
uploading:      importing queued deleted
importing:      active deleted queued
active:         pending_delete deleted deactivated
killed:         deleted
pending_delete: deleted active
deactivated:    active deleted
deleted:
`;

const allowed = new Map(
  GLANCE_TABLE.trim()
    .split('\n')
    .map((line) => {
      const [from = '', targets = ''] = line.split(':');
      return [from.trim(), new Set(targets.trim().split(/\s+/).filter(Boolean))] as const;
    }),
);

describe('image status transitions', () => {
  const pairs = IMAGE_STATUSES.flatMap((from) => IMAGE_STATUSES.map((to) => [from, to] as [ImageStatus, ImageStatus]));

  it.each(pairs)('%s → %s matches Glance', (from, to) => {
    const expected = allowed.get(from)?.has(to) ?? false;
    expect(canTransition(from, to)).toBe(expected);
    if (expected) expect(() => requireTransition(from, to)).not.toThrow();
    else expect(() => requireTransition(from, to)).toThrow(DomainError);
  });

  it('covers every status of the table', () => {
    expect([...allowed.keys()].sort()).toEqual([...IMAGE_STATUSES].sort());
  });
});
