// Contract: appends — expected revisions, idempotent retries, validation, atomicity.
import { describe, expect, it } from 'vitest';
import { GENESIS_HASH, verifyChain } from '../../eventstore/hash-chain.js';
import { EventIdConflictError, InvalidEventError, WrongExpectedRevisionError } from '../../eventstore/port.js';
import type { ExpectedRevision } from '../../eventstore/port.js';
import type { ContractHarness } from './contract.js';
import { counted, noted, testMetadata, uniqueStream } from './fixtures/events.js';

export function appendContract(harness: ContractHarness): void {
  describe('expected revision', () => {
    it('no_stream creates a stream whose revisions start at 0 and positions increase', async () => {
      const store = harness.open();
      const stream = uniqueStream('order');
      const head = await store.headPosition();
      const result = await store.append(stream, [counted(1), counted(2), counted(3)], { expected: 'no_stream' });
      expect(result.nextRevision).toBe(2);
      expect(result.positions).toHaveLength(3);
      expect(result.positions[0]).toBeGreaterThan(head);
      expect(result.positions).toEqual([...result.positions].sort((a, b) => a - b));
      expect(new Set(result.positions).size).toBe(3);
      expect(await store.headPosition()).toBeGreaterThanOrEqual(result.positions[2]!);
    });

    const cases: { title: string; existing: number; expected: ExpectedRevision; actual: number | 'no_stream' | 'ok' }[] = [
      { title: 'no_stream on an existing stream', existing: 2, expected: 'no_stream', actual: 1 },
      { title: 'exists on a missing stream', existing: 0, expected: 'exists', actual: 'no_stream' },
      { title: 'exists on an existing stream', existing: 1, expected: 'exists', actual: 'ok' },
      { title: 'the current revision', existing: 3, expected: 2, actual: 'ok' },
      { title: 'a stale revision', existing: 3, expected: 1, actual: 2 },
      { title: 'a revision ahead of the stream', existing: 1, expected: 5, actual: 0 },
      { title: 'a revision on a missing stream', existing: 0, expected: 0, actual: 'no_stream' },
      { title: 'any on a missing stream', existing: 0, expected: 'any', actual: 'ok' },
      { title: 'any on an existing stream', existing: 2, expected: 'any', actual: 'ok' },
    ];
    for (const { title, existing, expected, actual } of cases) {
      it(`${title}: ${actual === 'ok' ? 'appends' : `fails with actual ${String(actual)}`}`, async () => {
        const store = harness.open();
        const stream = uniqueStream('rev');
        if (existing > 0) await store.append(stream, Array.from({ length: existing }, (_, n) => counted(n)), { expected: 'no_stream' });
        const attempt = store.append(stream, [noted('next')], { expected });
        if (actual === 'ok') {
          await expect(attempt).resolves.toMatchObject({ nextRevision: existing });
        } else {
          const error: unknown = await attempt.catch((thrown: unknown) => thrown);
          expect(error).toBeInstanceOf(WrongExpectedRevisionError);
          expect(error).toMatchObject({ stream, expected, actual });
        }
        expect(await store.readStream(stream)).toHaveLength(actual === 'ok' ? existing + 1 : existing);
      });
    }

    it('an empty batch only checks the expected revision', async () => {
      const store = harness.open();
      const stream = uniqueStream('empty');
      await expect(store.append(stream, [], { expected: 'no_stream' })).resolves.toEqual({ nextRevision: -1, positions: [] });
      await store.append(stream, [counted(0), counted(1)], { expected: 'no_stream' });
      await expect(store.append(stream, [], { expected: 1 })).resolves.toEqual({ nextRevision: 1, positions: [] });
      await expect(store.append(stream, [], { expected: 0 })).rejects.toBeInstanceOf(WrongExpectedRevisionError);
      expect(await store.readStream(stream)).toHaveLength(2);
    });

    it('of concurrent appends at the same expected revision exactly one wins', async () => {
      const store = harness.open();
      const stream = uniqueStream('race');
      await store.append(stream, [counted(0)], { expected: 'no_stream' });
      const outcomes = await Promise.allSettled(Array.from({ length: 8 }, (_, n) => store.append(stream, [counted(n)], { expected: 0 })));
      const winners = outcomes.filter((outcome) => outcome.status === 'fulfilled');
      const losers = outcomes.flatMap((outcome) => (outcome.status === 'rejected' ? [outcome.reason as unknown] : []));
      expect(winners).toHaveLength(1);
      expect(losers.every((error) => error instanceof WrongExpectedRevisionError)).toBe(true);
      expect(await store.readStream(stream)).toHaveLength(2);
    });
  });

  describe('idempotent retries', () => {
    it('the same events at the same place return the original positions and write nothing', async () => {
      const store = harness.open();
      const stream = uniqueStream('retry');
      const batch = [counted(1), counted(2)];
      const first = await store.append(stream, batch, { expected: 'no_stream' });
      const head = await store.headPosition();
      await expect(store.append(stream, batch, { expected: 'no_stream' })).resolves.toEqual(first);
      expect(await store.headPosition()).toBe(head);
      expect(await store.readStream(stream)).toHaveLength(2);
    });

    it('a retry with any after the stream moved on still returns the original positions', async () => {
      const store = harness.open();
      const stream = uniqueStream('retry-any');
      const batch = [counted(1)];
      const first = await store.append(stream, batch, { expected: 'any' });
      await store.append(stream, [counted(2)], { expected: 'any' });
      await expect(store.append(stream, batch, { expected: 'any' })).resolves.toEqual(first);
      expect(await store.readStream(stream)).toHaveLength(2);
    });

    it('a batch that only partly repeats stored ids is a conflict and writes nothing', async () => {
      const store = harness.open();
      const stream = uniqueStream('partial');
      const stored = counted(1);
      await store.append(stream, [stored], { expected: 'no_stream' });
      await expect(store.append(stream, [stored, counted(2)], { expected: 'no_stream' })).rejects.toBeInstanceOf(EventIdConflictError);
      await expect(store.append(stream, [counted(3), stored], { expected: 0 })).rejects.toBeInstanceOf(EventIdConflictError);
      expect((await store.readStream(stream)).map((event) => event.id)).toEqual([stored.id]);
    });

    it('stored ids appended at another revision are a conflict', async () => {
      const store = harness.open();
      const stream = uniqueStream('moved');
      const batch = [counted(1)];
      await store.append(stream, [counted(0)], { expected: 'no_stream' });
      await store.append(stream, batch, { expected: 0 });
      await expect(store.append(stream, [counted(2)].concat(batch), { expected: 1 })).rejects.toBeInstanceOf(EventIdConflictError);
      await expect(store.append(stream, batch, { expected: 1 })).rejects.toBeInstanceOf(EventIdConflictError);
      expect(await store.readStream(stream)).toHaveLength(2);
    });
  });

  describe('validation', () => {
    const invalid = [
      { title: 'an unknown type', event: () => ({ ...counted(1), type: 'Unknown.v1' }) },
      { title: 'data that fails its schema', event: () => ({ ...counted(1), data: { n: 'one' } }) },
      { title: 'metadata without a timestamp', event: () => ({ ...counted(1), metadata: { ...testMetadata(), timestamp: undefined } }) },
      { title: 'an id that is not a UUID', event: () => ({ ...counted(1), id: 'event-1' }) },
    ];
    for (const { title, event } of invalid) {
      it(`rejects a batch holding ${title} and writes none of it`, async () => {
        const store = harness.open();
        const stream = uniqueStream('invalid');
        const head = await store.headPosition();
        const batch = [counted(0), event() as ReturnType<typeof counted>];
        await expect(store.append(stream, batch, { expected: 'any' })).rejects.toBeInstanceOf(InvalidEventError);
        expect(await store.readStream(stream)).toEqual([]);
        expect(await store.headPosition()).toBe(head);
      });
    }

    it('rejects the same id twice in one batch', async () => {
      const store = harness.open();
      const event = counted(1);
      await expect(store.append(uniqueStream('twice'), [event, event], { expected: 'any' })).rejects.toBeInstanceOf(InvalidEventError);
    });
  });

  describe('hash chain', () => {
    it('links each stream from the genesis hash and verifies over the log', async () => {
      const store = harness.open();
      const head = await store.headPosition();
      const streams = [uniqueStream('chain-a'), uniqueStream('chain-b')];
      for (let round = 0; round < 3; round += 1) {
        for (const stream of streams) await store.append(stream, [counted(round), noted(`r${round}`)], { expected: 'any' });
      }
      const [firstOfA] = await store.readStream(streams[0]!);
      expect(firstOfA?.prevHash).toBe(GENESIS_HASH);
      const ours = (await store.readAll({ after: head })).filter((event) => streams.includes(event.stream));
      expect(ours).toHaveLength(12);
      expect(verifyChain(ours)).toBeNull();
      const [, second] = ours;
      expect(verifyChain(ours.map((event) => (event === second ? { ...event, data: { n: 99 } } : event)))).toMatchObject({
        stream: second?.stream,
        revision: second?.revision,
        reason: 'hash-mismatch',
      });
    });
  });
}
