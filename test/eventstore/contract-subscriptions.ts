// Contract: subscribeAll — catch-up, then live, with filters, until closed.
import { describe, expect, it } from 'vitest';
import type { ContractHarness } from './contract.js';
import { counted, noted, uniqueStream } from './fixtures/events.js';
import { take } from './fixtures/take.js';

export function subscriptionContract(harness: ContractHarness): void {
  describe('subscribeAll', () => {
    it('delivers stored events, then live ones, in position order', async () => {
      const store = harness.open();
      const head = await store.headPosition();
      const stream = uniqueStream('sub');
      const stored = await store.append(stream, [counted(0), counted(1)], { expected: 'no_stream' });
      const subscription = store.subscribeAll({ after: head, filter: { streamPrefixes: [stream] } });
      const delivered = take(subscription, 4);
      const live = await store.append(stream, [counted(2)], { expected: 1 });
      const later = await store.append(stream, [counted(3)], { expected: 2 });
      const events = await delivered;
      expect(events.map((event) => event.position)).toEqual([...stored.positions, ...live.positions, ...later.positions]);
      expect(events.map((event) => event.revision)).toEqual([0, 1, 2, 3]);
    });

    it('starts strictly after the given position', async () => {
      const store = harness.open();
      const stream = uniqueStream('after');
      const { positions } = await store.append(stream, [counted(0), counted(1), counted(2)], { expected: 'no_stream' });
      const events = await take(store.subscribeAll({ after: positions[0], filter: { streamPrefixes: [stream] } }), 2);
      expect(events.map((event) => event.position)).toEqual(positions.slice(1));
    });

    it('filters by stream prefix and by event type', async () => {
      const store = harness.open();
      const head = await store.headPosition();
      const tag = uniqueStream('filter');
      const [images, instances] = [`${tag}-image-1`, `${tag}-instance-1`];
      const byPrefix = take(store.subscribeAll({ after: head, filter: { streamPrefixes: [`${tag}-image`] } }), 2);
      const byType = take(store.subscribeAll({ after: head, filter: { streamPrefixes: [tag], eventTypes: ['Noted.v1'] } }), 2);
      await store.append(instances, [counted(0), noted('instance')], { expected: 'no_stream' });
      await store.append(images, [counted(1), noted('image')], { expected: 'no_stream' });
      expect((await byPrefix).map((event) => `${event.stream}:${event.type}`)).toEqual([`${images}:Counted.v1`, `${images}:Noted.v1`]);
      expect((await byType).map((event) => event.data)).toEqual([{ text: 'instance' }, { text: 'image' }]);
    });

    it('ends the iteration when closed, even while waiting for events', async () => {
      const store = harness.open();
      const subscription = store.subscribeAll({ after: await store.headPosition(), filter: { streamPrefixes: [uniqueStream('idle')] } });
      const iteration = (async () => {
        let count = 0;
        for await (const _ of subscription) count += 1;
        return count;
      })();
      await new Promise((resolve) => setTimeout(resolve, 50));
      await subscription.close();
      await expect(iteration).resolves.toBe(0);
    });

    it('ends when its store is closed', async () => {
      const store = harness.open();
      const subscription = store.subscribeAll({ after: await store.headPosition(), filter: { streamPrefixes: [uniqueStream('closing')] } });
      const iteration = (async () => {
        for await (const _ of subscription) return 'event';
        return 'ended';
      })();
      await new Promise((resolve) => setTimeout(resolve, 50));
      await store.close();
      await expect(iteration).resolves.toBe('ended');
    });

    it('ends after maxCount events', async () => {
      const store = harness.open();
      const stream = uniqueStream('max');
      const head = await store.headPosition();
      await store.append(stream, [counted(0), counted(1), counted(2)], { expected: 'no_stream' });
      const delivered = [];
      for await (const event of store.subscribeAll({ after: head, maxCount: 2, filter: { streamPrefixes: [stream] } })) delivered.push(event);
      expect(delivered.map((event) => event.revision)).toEqual([0, 1]);
    });
  });
}
