// Contract: several OS processes on one store, as the API and the workers run.
import { describe, expect, it } from 'vitest';
import type { ContractHarness } from './contract.js';
import { linesUntilExit, spawnFixture } from './fixtures/child-process.js';
import { uniqueStream } from './fixtures/events.js';
import { take } from './fixtures/take.js';

interface WriterReport {
  writer: string;
  won: { revision: number; id: string }[];
  conflicts: number;
}

const PROCESS_TEST_TIMEOUT_MS = 60_000;

export function processContract(harness: ContractHarness): void {
  describe('across processes', () => {
    // Single events, and batches large enough for the SQLite adapter's writer thread.
    for (const { batch, wins } of [
      { batch: 1, wins: 150 },
      { batch: 300, wins: 6 },
    ]) {
      it(
        `two writer processes on one stream, ${batch} event(s) per append: each revision is won exactly once, nothing lost, no gaps`,
        async () => {
          const stream = uniqueStream('contended');
          const writers = ['w1', 'w2'].map((writer) => spawnFixture('contending-writer', { settings: harness.settings(), stream, writer, wins, loops: 4, batch }));
          let ready = 0;
          const reports = writers.map((child) =>
            linesUntilExit(child, (message) => {
              if ((message as { ready?: boolean }).ready !== true) return;
              ready += 1;
              // Both have opened the store: start them together so they really contend.
              if (ready === writers.length) for (const writer of writers) writer.stdin.end('go\n');
            }),
          );
          const finals = (await Promise.all(reports)).map((messages) => messages.at(-1) as WriterReport);

          expect(finals.reduce((sum, report) => sum + report.conflicts, 0)).toBeGreaterThan(0);
          const stored = await harness.open().readStream(stream);
          const claimed = finals.flatMap((report) => report.won);
          expect(claimed.length).toBeGreaterThanOrEqual(wins * 2 * batch);
          expect(stored.map((event) => event.revision)).toEqual(Array.from({ length: claimed.length }, (_, revision) => revision));
          expect(new Set(claimed.map((claim) => claim.revision)).size).toBe(claimed.length);
          const storedIdAt = new Map(stored.map((event) => [event.revision, event.id]));
          for (const claim of claimed) expect(storedIdAt.get(claim.revision)).toBe(claim.id);
        },
        PROCESS_TEST_TIMEOUT_MS,
      );
    }

    it(
      "a live subscription sees another process's appends promptly",
      async () => {
        const store = harness.open();
        const stream = uniqueStream('remote');
        const count = 20;
        const subscription = store.subscribeAll({ after: await store.headPosition(), filter: { streamPrefixes: [stream] } });
        const lagsMs: number[] = [];
        const received = take(subscription, count, 30_000, (event) => lagsMs.push(Date.now() - Date.parse(event.metadata.timestamp)));
        const appender = spawnFixture('paced-appender', { settings: harness.settings(), stream, count, intervalMs: 20 });
        const appended = (await linesUntilExit(appender)) as { n: number; positions: number[] }[];
        const events = await received;

        expect(events.map((event) => event.position)).toEqual(appended.flatMap((line) => line.positions));
        lagsMs.sort((a, b) => a - b);
        // Lag counts from event creation in the child, so it includes that process's own append.
        expect(lagsMs[Math.floor(lagsMs.length / 2)]).toBeLessThan(100);
      },
      PROCESS_TEST_TIMEOUT_MS,
    );
  });
}
