// A writing process's checkpoint thread: it copies committed WAL pages into the database
// file well before the writer's own automatic checkpoint would, and closing the store
// stops it, its connection closed first (the last connection to close removes the WAL).
import { existsSync, statSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { counted } from './fixtures/events.js';
import { useSqliteLogFile } from './fixtures/sqlite-log.js';

const { path, open } = useSqliteLogFile();

/** Bounded: the thread looks every 10 ms. */
async function waitFor(condition: () => boolean, timeoutMs = 10_000): Promise<boolean> {
  for (const deadline = Date.now() + timeoutMs; Date.now() < deadline; await sleep(20)) {
    if (condition()) return true;
  }
  return condition();
}

describe('sqlite checkpoint thread', () => {
  it('copies committed pages into the database file while the WAL is below the writer’s own threshold', async () => {
    const store = open();
    await store.append('first', [counted(0)], { expected: 'no_stream' });
    const sizeBefore = statSync(path()).size;
    // ~400 WAL pages of small events: a third of what makes the writer checkpoint itself.
    for (let batch = 0; batch < 5; batch += 1) {
      await store.append('bulk', Array.from({ length: 1_000 }, (_, n) => counted(n)), { expected: 'any' });
    }
    expect(await waitFor(() => statSync(path()).size > sizeBefore + 256 * 4096)).toBe(true);
    expect((await store.readAll()).length).toBe(5_001);
    await store.close();
    expect(existsSync(`${path()}-wal`)).toBe(false);

    const reopened = open();
    expect(await reopened.headPosition()).toBe(5_001);
    await reopened.close();
  });
});
