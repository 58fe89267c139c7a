// Contract: reading one stream and the whole log.
import { describe, expect, it } from 'vitest';
import type { ContractHarness } from './contract.js';
import { counted, noted, uniqueStream } from './fixtures/events.js';

export function readContract(harness: ContractHarness): void {
  describe('readStream', () => {
    async function streamOfFive() {
      const store = harness.open();
      const stream = uniqueStream('read');
      await store.append(stream, [0, 1, 2, 3, 4].map((n) => counted(n)), { expected: 'no_stream' });
      return { store, stream };
    }
    const revisions = (events: { revision: number }[]) => events.map((event) => event.revision);

    it('reads forwards from the start by default, with data and metadata as appended', async () => {
      const store = harness.open();
      const stream = uniqueStream('roundtrip');
      const event = noted('hello');
      await store.append(stream, [event], { expected: 'no_stream' });
      const [read] = await store.readStream(stream);
      expect(read).toMatchObject({ id: event.id, stream, revision: 0, type: 'Noted.v1', data: event.data, metadata: event.metadata });
    });

    it('honours fromRevision and maxCount forwards', async () => {
      const { store, stream } = await streamOfFive();
      expect(revisions(await store.readStream(stream))).toEqual([0, 1, 2, 3, 4]);
      expect(revisions(await store.readStream(stream, { fromRevision: 2 }))).toEqual([2, 3, 4]);
      expect(revisions(await store.readStream(stream, { fromRevision: 1, maxCount: 2 }))).toEqual([1, 2]);
      expect(await store.readStream(stream, { fromRevision: 5 })).toEqual([]);
    });

    it('honours fromRevision and maxCount backwards', async () => {
      const { store, stream } = await streamOfFive();
      expect(revisions(await store.readStream(stream, { direction: 'backwards' }))).toEqual([4, 3, 2, 1, 0]);
      expect(revisions(await store.readStream(stream, { direction: 'backwards', maxCount: 2 }))).toEqual([4, 3]);
      expect(revisions(await store.readStream(stream, { direction: 'backwards', fromRevision: 2 }))).toEqual([2, 1, 0]);
    });

    it('reads a missing stream as empty', async () => {
      const store = harness.open();
      expect(await store.readStream(uniqueStream('missing'))).toEqual([]);
    });
  });

  describe('readAll', () => {
    it('returns events of all streams in position order after a position, up to maxCount', async () => {
      const store = harness.open();
      const head = await store.headPosition();
      const [a, b] = [uniqueStream('all-a'), uniqueStream('all-b')];
      const first = await store.append(a, [counted(0), counted(1)], { expected: 'no_stream' });
      const second = await store.append(b, [noted('x')], { expected: 'no_stream' });
      const third = await store.append(a, [counted(2)], { expected: 1 });
      const written = [...first.positions, ...second.positions, ...third.positions];

      const ours = (await store.readAll({ after: head })).filter((event) => event.stream === a || event.stream === b);
      expect(ours.map((event) => event.position)).toEqual(written);
      expect(ours.map((event) => `${event.stream === a ? 'a' : 'b'}${event.revision}`)).toEqual(['a0', 'a1', 'b0', 'a2']);

      const page = await store.readAll({ after: written[0], maxCount: 2 });
      expect(page.map((event) => event.position)).toEqual(written.slice(1, 3));
      expect(await store.readAll({ after: await store.headPosition() })).toEqual([]);
    });
  });
}
