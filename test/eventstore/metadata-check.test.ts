// The metadata check's fast path agrees with the schema: whatever it accepts, the schema
// accepts with the same result, and whatever the schema rejects, it leaves to the schema.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { quickMetadata } from '../../eventstore/metadata-check.js';
import { eventMetadataSchema } from '../../eventstore/port.js';

/** Mostly the right type, sometimes anything at all (missing, a number, an array, …). */
const sometimesWrong = <T>(right: fc.Arbitrary<T>) => fc.oneof({ arbitrary: right, weight: 30 }, { arbitrary: fc.anything(), weight: 1 }, { arbitrary: fc.constant(undefined), weight: 1 });
const text = fc.option(fc.string(), { nil: null });
const roles = fc.oneof(fc.array(fc.string()), fc.sparseArray(fc.string(), { minNumElements: 1 }), fc.array(fc.oneof(fc.string(), fc.integer())));
const actor = fc.option(
  fc.record({ userId: sometimesWrong(fc.string()), projectId: sometimesWrong(text), roles: sometimesWrong(roles), stray: fc.option(fc.anything(), { nil: undefined }) }),
  { nil: null },
);
const metadata = fc.oneof(
  fc.record({
    actor: sometimesWrong(actor),
    requestId: sometimesWrong(text),
    correlationId: sometimesWrong(text),
    causationId: sometimesWrong(text),
    workflowId: sometimesWrong(text),
    runId: sometimesWrong(text),
    activity: sometimesWrong(text),
    timestamp: sometimesWrong(fc.string()),
    stray: fc.option(fc.jsonValue(), { nil: undefined }),
  }),
  fc.anything(),
);

describe('quickMetadata', () => {
  it('accepts only what the schema accepts, and returns what the schema returns', () => {
    let accepted = 0;
    fc.assert(
      fc.property(metadata, (value) => {
        const quick = quickMetadata(value);
        const parsed = eventMetadataSchema.safeParse(value);
        if (quick === undefined) return;
        accepted += 1;
        expect(parsed.success).toBe(true);
        expect(quick).toStrictEqual(parsed.data);
        expect(JSON.stringify(quick)).toBe(JSON.stringify(parsed.data));
      }),
      { numRuns: 2_000 },
    );
    // Both outcomes are exercised: the fast path is taken, and it is declined.
    expect(accepted).toBeGreaterThan(100);
    expect(accepted).toBeLessThan(1_900);
  });

  it('copies roles, so the stored metadata does not change with the caller’s array', () => {
    const roles = ['member'];
    const quick = quickMetadata({ actor: { userId: 'u', projectId: null, roles }, requestId: null, correlationId: null, causationId: null, workflowId: null, runId: null, activity: null, timestamp: 't' });
    roles.push('admin');
    expect(quick?.actor?.roles).toEqual(['member']);
  });
});
