// What only the SQLite adapter has: a file. It must be created when missing, refused when
// it is not a strata event log (and left untouched), and keep acknowledged appends
// when the writing process is killed.
import Database from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EventIdConflictError, EventStoreUnavailableError } from '../../eventstore/port.js';
import { openSqliteEventStore } from '../../eventstore/sqlite/index.js';
import { linesUntilExit, spawnFixture } from './fixtures/child-process.js';
import { counted, testEventSchemas } from './fixtures/events.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'strata-events-file-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const open = (path: string) => openSqliteEventStore({ path, schemas: testEventSchemas() });
const settingsFor = (path: string) => ({ dataDir: dir, eventStore: { adapter: 'sqlite', sqlitePath: path } });

describe('sqlite event store file', () => {
  it('creates a missing file, and its directories', async () => {
    const path = join(dir, 'nested', 'deeper', 'events.db');
    const store = open(path);
    await store.append('s-1', [counted(1)], { expected: 'no_stream' });
    await store.close();
    const reopened = open(path);
    expect(await reopened.headPosition()).toBe(1);
    await reopened.close();
  });

  it('lets two processes create the same new file at once', async () => {
    const path = join(dir, 'events.db');
    const reports = await Promise.all([1, 2].map(() => linesUntilExit(spawnFixture('open-store', settingsFor(path)))));
    expect(reports.flat()).toEqual([
      { opened: true, head: 0 },
      { opened: true, head: 0 },
    ]);
  });

  const unusable: { title: string; make: (path: string) => Promise<void>; cause: RegExp }[] = [
    { title: 'random bytes', make: (path) => writeFile(path, randomBytes(8192)), cause: /SQLITE_NOTADB/ },
    { title: 'a text file', make: (path) => writeFile(path, 'name,size\ncirros,12716032\n'), cause: /SQLITE_NOTADB/ },
    {
      title: 'another application’s SQLite database',
      make: (path) => {
        const foreign = new Database(path);
        foreign.exec("CREATE TABLE images (id TEXT PRIMARY KEY); INSERT INTO images VALUES ('cirros')");
        foreign.close();
        return Promise.resolve();
      },
      cause: /not a strata event log/,
    },
    {
      title: 'a strata log from a newer schema',
      make: async (path) => {
        await open(path).close();
        const newer = new Database(path);
        newer.pragma('user_version = 99');
        newer.close();
      },
      cause: /schema version 99/,
    },
  ];
  for (const { title, make, cause } of unusable) {
    it(`refuses ${title}, naming the path and cause, and leaves the file as it was`, async () => {
      const path = join(dir, 'events.db');
      await make(path);
      const before = await readFile(path);
      const error = (() => {
        try {
          open(path);
        } catch (thrown) {
          return thrown;
        }
        return undefined;
      })();
      expect(error).toBeInstanceOf(EventStoreUnavailableError);
      expect((error as Error).message).toContain(path);
      expect((error as Error).message).toMatch(cause);
      expect(await readFile(path)).toEqual(before);
    });
  }

  it('refuses a directory in place of the file', () => {
    expect(() => open(dir)).toThrow(EventStoreUnavailableError);
  });

  for (const [access, mode] of [
    ['may not read', 0o600],
    ['may read but not write', 0o644],
  ] as const) {
    it.skipIf(process.getuid?.() !== 0)(`refuses a file its user ${access} (checked as user nobody)`, async () => {
      const path = join(dir, 'private', 'events.db');
      await mkdir(join(dir, 'private'));
      await open(path).close();
      await chmod(path, mode);
      await chmod(dir, 0o755);
      const [report] = await linesUntilExit(spawnFixture('open-store', settingsFor(path), { uid: 65534, gid: 65534 }));
      expect(report).toMatchObject({ opened: false, name: 'EventStoreUnavailableError' });
      expect((report as { message: string }).message).toContain(path);
    });
  }

  it('rejects an event id already stored in another stream', async () => {
    const store = open(join(dir, 'events.db'));
    const event = counted(1);
    await store.append('image-1', [event], { expected: 'no_stream' });
    await expect(store.append('image-2', [event], { expected: 'no_stream' })).rejects.toBeInstanceOf(EventIdConflictError);
    expect(await store.readStream('image-2')).toEqual([]);
    await store.close();
  });

  it('keeps every acknowledged append when the writing process is killed', async () => {
    const path = join(dir, 'events.db');
    const writer = spawnFixture('paced-appender', { settings: settingsFor(path), stream: 'crash', count: 100_000, intervalMs: 0 });
    const acknowledged: { n: number; positions: number[] }[] = [];
    const exited = linesUntilExit(writer, (line) => {
      acknowledged.push(line as { n: number; positions: number[] });
      if (acknowledged.length === 300) writer.kill('SIGKILL');
    }).catch((error: unknown) => error);
    expect(String(await exited)).toMatch(/SIGKILL/);

    const store = open(path);
    const stored = new Map((await store.readStream('crash')).map((event) => [event.position, event.data]));
    for (const { n, positions } of acknowledged) expect(stored.get(positions[0]!)).toEqual({ n });
    expect(stored.size).toBeGreaterThanOrEqual(acknowledged.length);
    await store.close();
  });
});
