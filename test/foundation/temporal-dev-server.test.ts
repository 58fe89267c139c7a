// The dev server `strata up` runs keeps its state file in SQLite's WAL mode: one fsync per
// commit instead of a journal created, synced and deleted for each one.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findTemporalCli } from '../../runtime/temporal-cli.js';
import { startDevServer } from '../../runtime/temporal-dev-server.js';
import { Supervisor } from '../../runtime/supervisor.js';
import { freePort } from '../support/ports.js';

/** Bytes 18 and 19 of an SQLite file: 1 = rollback journal, 2 = WAL (persisted in the header). */
const journalModeBytes = (file: string) => [...readFileSync(file).subarray(18, 20)];

describe('Temporal dev server with a state file', () => {
  it('stores its state in WAL mode', { timeout: 120_000 }, async () => {
    const dbFile = join(mkdtempSync(join(tmpdir(), 'strata-temporal-db-')), 'temporal.db');
    const supervisor = new Supervisor({ log: () => undefined });
    try {
      await startDevServer(supervisor, { cli: findTemporalCli(process.env.TEMPORAL_CLI), ip: '127.0.0.1', port: await freePort(), uiPort: await freePort(), ui: false, namespace: 'default', dbFile });
      expect(journalModeBytes(dbFile)).toEqual([2, 2]);
    } finally {
      await supervisor.stopAll();
    }
  });
});
