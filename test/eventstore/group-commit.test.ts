import { describe, expect, it } from 'vitest';
import { GroupCommitQueue } from '../../eventstore/sqlite/group-commit.js';
import type { Outcome } from '../../eventstore/sqlite/group-commit.js';

/** A batch writer that records each batch and fails the requests that are negative. */
function recordingWriter(batches: number[][]) {
  return (requests: number[]): Outcome<number>[] => {
    batches.push(requests);
    return requests.map((request) => (request < 0 ? { ok: false, error: new Error(`bad ${request}`) } : { ok: true, value: request * 10 }));
  };
}

describe('GroupCommitQueue', () => {
  it('writes requests made in the same turn of the event loop as one batch', async () => {
    const batches: number[][] = [];
    const queue = new GroupCommitQueue(recordingWriter(batches));
    await expect(Promise.all([1, 2, 3].map((n) => queue.submit(n)))).resolves.toEqual([10, 20, 30]);
    expect(batches).toEqual([[1, 2, 3]]);
  });

  it('gives each request its own outcome', async () => {
    const queue = new GroupCommitQueue(recordingWriter([]));
    const outcomes = await Promise.allSettled([queue.submit(1), queue.submit(-1), queue.submit(2)]);
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
  });

  it('fails every request of a batch whose transaction failed', async () => {
    const queue = new GroupCommitQueue<number, number>(() => {
      throw new Error('disk full');
    });
    const outcomes = await Promise.allSettled([queue.submit(1), queue.submit(2)]);
    expect(outcomes.map((outcome) => (outcome.status === 'rejected' ? String(outcome.reason) : 'ok'))).toEqual([
      'Error: disk full',
      'Error: disk full',
    ]);
  });

  it('splits a large burst into batches of at most the maximum size', async () => {
    const batches: number[][] = [];
    const queue = new GroupCommitQueue(recordingWriter(batches), { maxBatchSize: 4 });
    await Promise.all(Array.from({ length: 10 }, (_, n) => queue.submit(n)));
    expect(batches.map((batch) => batch.length)).toEqual([4, 4, 2]);
    expect(batches.flat()).toEqual(Array.from({ length: 10 }, (_, n) => n));
  });

  it('reports idle once everything submitted has its outcome', async () => {
    const batches: number[][] = [];
    const queue = new GroupCommitQueue(recordingWriter(batches), { maxBatchSize: 2 });
    const pending = [1, 2, 3].map((n) => queue.submit(n));
    await queue.idle();
    expect(batches.flat()).toEqual([1, 2, 3]);
    await Promise.all(pending);
  });

  it('starts no batch while one written asynchronously is in flight; later requests form the next', async () => {
    const batches: number[][] = [];
    let finishFirst = () => {};
    const queue = new GroupCommitQueue<number, number>((requests) => {
      batches.push(requests);
      const outcomes = requests.map((request): Outcome<number> => ({ ok: true, value: request * 10 }));
      if (batches.length > 1) return outcomes;
      return new Promise((resolve) => (finishFirst = () => resolve(outcomes)));
    });
    const first = queue.submit(1);
    await new Promise((resolve) => setImmediate(resolve));
    const later = [queue.submit(2), queue.submit(3)];
    let idle = false;
    const whenIdle = queue.idle().then(() => (idle = true));
    await new Promise((resolve) => setImmediate(resolve));
    expect(batches).toEqual([[1]]);
    expect(idle).toBe(false);
    finishFirst();
    await expect(Promise.all([first, ...later])).resolves.toEqual([10, 20, 30]);
    await whenIdle;
    expect(batches).toEqual([[1], [2, 3]]);
  });

  it('fails every request of a batch whose asynchronous write rejected, and goes on', async () => {
    let calls = 0;
    const queue = new GroupCommitQueue<number, number>((requests) => {
      calls += 1;
      if (calls === 1) return Promise.reject(new Error('writer thread stopped'));
      return requests.map((request) => ({ ok: true, value: request }));
    });
    const outcomes = await Promise.allSettled([queue.submit(1), queue.submit(2)]);
    expect(outcomes.map((outcome) => (outcome.status === 'rejected' ? String(outcome.reason) : 'ok'))).toEqual([
      'Error: writer thread stopped',
      'Error: writer thread stopped',
    ]);
    await expect(queue.submit(3)).resolves.toBe(3);
  });
});

