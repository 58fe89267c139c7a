// A writer's in-memory stream heads: rollbacks restore what each add replaced, and a
// head is forgotten only once the committed log's index holds it.
import { describe, expect, it } from 'vitest';
import { StreamHeads } from '../../eventstore/sqlite/stream-heads.js';
import { STREAM_MERGE_INTERVAL } from '../../eventstore/sqlite/stream-index.js';

const head = (revision: number, position: number) => ({ revision, hash: `h${position}`, position });

describe('stream heads', () => {
  it('restores the heads a rolled-back append replaced, and forgets those it added', () => {
    const heads = new StreamHeads();
    heads.add('a', head(0, 1));
    heads.committed(1);
    heads.add('a', head(1, 2));
    heads.add('b', head(0, 3));
    heads.add('a', head(2, 4));
    heads.truncateAfter(2);
    expect([heads.get('a'), heads.get('b')]).toEqual([head(1, 2), undefined]);
    heads.truncateAfter(1);
    expect(heads.get('a')).toEqual(head(0, 1));
    // Committed heads are not undone.
    heads.truncateAfter(0);
    expect(heads.get('a')).toEqual(head(0, 1));
  });

  it('forgets a head once the committed log has indexed its event, not before', () => {
    const heads = new StreamHeads();
    heads.add('old', head(0, STREAM_MERGE_INTERVAL - 1));
    heads.add('new', head(0, STREAM_MERGE_INTERVAL + 1));
    heads.committed(STREAM_MERGE_INTERVAL - 1);
    expect(heads.get('old')).toEqual(head(0, STREAM_MERGE_INTERVAL - 1));
    heads.committed(STREAM_MERGE_INTERVAL + 1);
    expect([heads.get('old'), heads.get('new')]).toEqual([undefined, head(0, STREAM_MERGE_INTERVAL + 1)]);
    heads.add('new', head(1, 2 * STREAM_MERGE_INTERVAL));
    // Uncommitted: the merge at 2 × interval could still roll back, so nothing is forgotten.
    heads.truncateAfter(2 * STREAM_MERGE_INTERVAL);
    expect(heads.get('new')).toEqual(head(1, 2 * STREAM_MERGE_INTERVAL));
    heads.committed(2 * STREAM_MERGE_INTERVAL);
    expect(heads.get('new')).toBeUndefined();
  });
});
