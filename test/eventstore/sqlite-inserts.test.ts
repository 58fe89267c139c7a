// The SQLite adapter inserts an append's rows several per statement: an append longer
// than one statement's rows keeps consecutive positions, revisions in order, an intact
// hash chain, and an idempotent retry. Events sharing one metadata object (a command's
// envelope) share its canonical text; each still stores and hashes its own.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { verifyChain } from '../../eventstore/hash-chain.js';
import { ROWS_PER_STATEMENT } from '../../eventstore/sqlite/insert-rows.js';
import { openSqliteEventStore } from '../../eventstore/sqlite/index.js';
import { counted, testEventSchemas, testMetadata } from './fixtures/events.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'strata-events-inserts-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('sqlite multi-row inserts', () => {
  it('keeps positions, revisions and the chain across statement boundaries', async () => {
    const store = openSqliteEventStore({ path: join(dir, 'events.db'), schemas: testEventSchemas() });
    await store.append('before', [counted(-1)], { expected: 'no_stream' });
    const sizes = [2 * ROWS_PER_STATEMENT + 1, ROWS_PER_STATEMENT, 1, ROWS_PER_STATEMENT - 1];
    let expected: number | 'no_stream' = 'no_stream';
    let n = 0;
    const appends = [];
    for (const size of sizes) {
      const events = Array.from({ length: size }, () => counted(n++));
      const result = await store.append('long', events, { expected });
      appends.push({ events, expected, result });
      expected = result.nextRevision;
    }

    const total = sizes.reduce((sum, size) => sum + size, 0);
    const stream = await store.readStream('long');
    expect(stream.map((event) => event.data)).toEqual(Array.from({ length: total }, (_, i) => ({ n: i })));
    expect(stream.map((event) => event.revision)).toEqual(Array.from({ length: total }, (_, i) => i));
    expect(appends.flatMap(({ result }) => result.positions)).toEqual(Array.from({ length: total }, (_, i) => i + 2));
    expect(stream.map((event) => event.position)).toEqual(appends.flatMap(({ result }) => result.positions));
    expect(verifyChain(await store.readAll())).toBeNull();

    const first = appends[0]!;
    expect(await store.append('long', first.events, { expected: first.expected })).toEqual(first.result);
    expect(await store.headPosition()).toBe(total + 1);
    await store.close();
  });

  it('stores each event of a shared envelope with that envelope', async () => {
    const store = openSqliteEventStore({ path: join(dir, 'events.db'), schemas: testEventSchemas() });
    const [envelope, other] = [testMetadata({ activity: 'shared' }), testMetadata({ activity: 'other' })];
    const metadatas = [envelope, envelope, other, envelope];
    await store.append('envelopes', metadatas.map((metadata, n) => ({ ...counted(n), metadata })), { expected: 'no_stream' });
    const stored = await store.readStream('envelopes');
    expect(stored.map((event) => event.metadata)).toEqual(metadatas);
    expect(new Set(stored.map((event) => event.hash)).size).toBe(metadatas.length);
    expect(verifyChain(stored)).toBeNull();
    await store.close();
  });
});
