import { describe, expect, it } from 'vitest';
import { assertExpectedRevision, resolveRetry } from '../../eventstore/append-plan.js';
import type { StoredLocation } from '../../eventstore/append-plan.js';
import { EventIdConflictError, WrongExpectedRevisionError } from '../../eventstore/port.js';
import type { ExpectedRevision } from '../../eventstore/port.js';

describe('assertExpectedRevision', () => {
  const table: [ExpectedRevision, number | 'no_stream', boolean][] = [
    ['any', 'no_stream', true],
    ['any', 4, true],
    ['no_stream', 'no_stream', true],
    ['no_stream', 0, false],
    ['exists', 'no_stream', false],
    ['exists', 0, true],
    [3, 3, true],
    [3, 4, false],
    [3, 2, false],
    [0, 'no_stream', false],
  ];
  for (const [expected, actual, holds] of table) {
    it(`expected ${String(expected)} against ${String(actual)} ${holds ? 'holds' : 'fails'}`, () => {
      const check = () => assertExpectedRevision('s', expected, actual);
      if (holds) expect(check).not.toThrow();
      else expect(check).toThrow(new WrongExpectedRevisionError('s', expected, actual));
    });
  }
});

describe('resolveRetry', () => {
  const at = (revision: number, stream = 's'): StoredLocation => ({ stream, revision, position: 100 + revision });
  const ids = ['a', 'b'];

  it('is no retry when no id is stored', () => {
    expect(resolveRetry('s', 'any', ids, [undefined, undefined])).toBeNull();
  });

  it('returns the original result when every id is stored in order where expected', () => {
    const original = { nextRevision: 4, positions: [103, 104] };
    expect(resolveRetry('s', 2, ids, [at(3), at(4)])).toEqual(original);
    expect(resolveRetry('s', 'any', ids, [at(3), at(4)])).toEqual(original);
    expect(resolveRetry('s', 'exists', ids, [at(3), at(4)])).toEqual(original);
    expect(resolveRetry('s', 'no_stream', ids, [at(0), at(1)])).toEqual({ nextRevision: 1, positions: [100, 101] });
  });

  const conflicts: [string, ExpectedRevision, (StoredLocation | undefined)[]][] = [
    ['only the first id stored', 'any', [at(3), undefined]],
    ['only the second id stored', 'any', [undefined, at(3)]],
    ['stored out of order', 'any', [at(4), at(3)]],
    ['stored with a gap', 'any', [at(3), at(5)]],
    ['stored in another stream', 'any', [at(3, 'other'), at(4, 'other')]],
    ['stored after another revision than expected', 1, [at(3), at(4)]],
    ['stored later than a new stream would put them', 'no_stream', [at(3), at(4)]],
  ];
  for (const [title, expected, stored] of conflicts) {
    it(`is a conflict when ids are ${title}`, () => {
      expect(() => resolveRetry('s', expected, ids, stored)).toThrow(EventIdConflictError);
    });
  }

  it('names an id stored out of place before one stored nowhere', () => {
    expect(() => resolveRetry('s', 'any', ids, [undefined, at(3, 'other')])).toThrow('stream s: event id b is already stored at other@3 (position 103)');
    expect(() => resolveRetry('s', 'any', ids, [at(3), undefined])).toThrow("event id b is already stored at nowhere, while the batch's other ids are stored in s");
  });
});
