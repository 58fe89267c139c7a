import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalEvent, canonicalJson, canonicalMetadata, eventHash, GENESIS_HASH, verifyChain } from '../../eventstore/hash-chain.js';
import { eventMetadataSchema } from '../../eventstore/port.js';
import type { RecordedEvent } from '../../eventstore/port.js';
import { testMetadata } from './fixtures/events.js';

/** A correctly chained stream built with the functions under test's own rules. */
function chainedStream(stream: string, datas: unknown[], firstPosition = 1): RecordedEvent[] {
  let prevHash = GENESIS_HASH;
  return datas.map((data, revision) => {
    const base = { id: `00000000-0000-4000-8000-${String(revision).padStart(12, '0')}`, stream, revision, type: 'Counted.v1', data, metadata: testMetadata() };
    const hash = eventHash(prevHash, base);
    const event = { ...base, position: firstPosition + revision, hash, prevHash };
    prevHash = hash;
    return event;
  });
}

describe('canonicalJson', () => {
  it('sorts keys at every depth and leaves out whitespace', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: true, y: null }], c: 'x' } })).toBe('{"a":{"c":"x","d":[3,{"y":null,"z":true}]},"b":1}');
  });

  it('follows JSON.stringify for values JSON cannot hold', () => {
    expect(canonicalJson({ gone: undefined, when: new Date(0), list: [undefined, Number.NaN] })).toBe(
      '{"list":[null,null],"when":"1970-01-01T00:00:00.000Z"}',
    );
  });

  it('is the same for any key order and survives a JSON round trip', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const text = canonicalJson(value);
        expect(canonicalJson(JSON.parse(text))).toBe(text);
        expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(value)));
      }),
    );
  });

  it('canonicalEvent equals canonicalJson of the whole event', () => {
    fc.assert(
      fc.property(fc.uuid(), fc.string(), fc.nat(), fc.string(), fc.jsonValue(), fc.jsonValue(), (id, stream, revision, type, data, metadata) => {
        const fields = { id, stream, revision, type };
        expect(canonicalEvent(fields, canonicalJson(data), canonicalJson(metadata))).toBe(canonicalJson({ ...fields, data, metadata }));
      }),
    );
  });

  it('is the same whether keys arrive sorted (written by JSON.stringify) or not (the walk)', () => {
    const withKeys = (value: unknown, order: (keys: string[]) => string[]): unknown => {
      if (Array.isArray(value)) return value.map((item: unknown) => withKeys(item, order));
      if (typeof value !== 'object' || value === null || value instanceof Date) return value;
      const record = value as Record<string, unknown>;
      return Object.fromEntries(order(Object.keys(record)).map((key) => [key, withKeys(record[key], order)]));
    };
    const sorted = (keys: string[]) => [...keys].sort();
    const reversed = (keys: string[]) => [...keys].sort().reverse();
    const values = fc.oneof(fc.jsonValue(), fc.object({ values: [fc.jsonValue(), fc.date({ noInvalidDate: true }), fc.constant(undefined), fc.double()] }));
    fc.assert(
      fc.property(values, (value) => {
        const text = canonicalJson(withKeys(value, reversed));
        expect(canonicalJson(withKeys(value, sorted))).toBe(text);
        expect(canonicalJson(value)).toBe(text);
      }),
      { numRuns: 2_000 },
    );
    // Objects JSON.stringify would write differently from the walk take the walk whatever their order.
    expect(canonicalJson({ a: Object('ab') as unknown })).toBe(canonicalJson({ b: undefined, a: Object('ab') as unknown }));
  });

  it('does not depend on the order keys were inserted', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.integer()), (record) => {
        const reversed = Object.fromEntries(Object.entries(record).reverse());
        expect(canonicalJson(reversed)).toBe(canonicalJson(record));
      }),
    );
  });
});

describe('canonicalMetadata', () => {
  const text = fc.option(fc.string({ unit: 'binary' }), { nil: null });
  const metadata = fc.record({
    actor: fc.option(fc.record({ userId: fc.string({ unit: 'binary' }), projectId: text, roles: fc.array(fc.string({ unit: 'binary' })) }), { nil: null }),
    requestId: text,
    correlationId: text,
    causationId: text,
    workflowId: text,
    runId: text,
    activity: text,
    timestamp: fc.string({ unit: 'binary' }),
    stray: fc.option(fc.jsonValue(), { nil: undefined }),
  });

  it('equals canonicalJson of any metadata as the schema parses it', () => {
    fc.assert(
      fc.property(metadata, (raw) => {
        const parsed = eventMetadataSchema.parse(raw);
        expect(canonicalMetadata(parsed)).toBe(canonicalJson(parsed));
      }),
      { numRuns: 500 },
    );
  });
});

describe('eventHash', () => {
  it('is sha-256 hex over the previous hash and the canonical event', () => {
    const [event] = chainedStream('s', [{ n: 1 }]);
    expect(event?.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(eventHash(GENESIS_HASH, { ...event!, data: { n: 2 } })).not.toBe(event?.hash);
    expect(eventHash('f'.repeat(64), event!)).not.toBe(event?.hash);
  });
});

describe('verifyChain', () => {
  const log = () => {
    const a = chainedStream('image-a', [{ n: 0 }, { n: 1 }, { n: 2 }], 1);
    const b = chainedStream('image-b', [{ n: 0 }, { n: 1 }], 10);
    return [a[0]!, b[0]!, a[1]!, b[1]!, a[2]!];
  };

  it('accepts an intact log of interleaved streams', () => {
    expect(verifyChain(log())).toBeNull();
  });

  it('names the event whose content was changed', () => {
    const events = log();
    const changed = { ...events[2]!, data: { n: 100 } };
    events[2] = changed;
    expect(verifyChain(events)).toEqual({
      stream: 'image-a',
      revision: 1,
      position: 2,
      reason: 'hash-mismatch',
      expectedHash: eventHash(changed.prevHash, changed),
      storedHash: changed.hash,
    });
  });

  it('finds a removed event at the next event of its stream', () => {
    const events = log();
    const removed = events.splice(2, 1)[0]!;
    expect(verifyChain(events)).toMatchObject({ stream: 'image-a', revision: 2, reason: 'link-mismatch', storedHash: removed.hash });
  });

  it('finds a rewritten hash, even when the next link was rewritten to match', () => {
    const events = log();
    const forged = 'a'.repeat(64);
    events[0] = { ...events[0]!, hash: forged };
    events[2] = { ...events[2]!, prevHash: forged };
    expect(verifyChain(events)).toMatchObject({ stream: 'image-a', revision: 0, reason: 'hash-mismatch', storedHash: forged });
  });

  it('finds swapped events', () => {
    const events = log();
    [events[0], events[2]] = [events[2]!, events[0]!];
    expect(verifyChain(events)).toMatchObject({ stream: 'image-a', revision: 1, reason: 'link-mismatch', expectedHash: GENESIS_HASH });
  });
});
