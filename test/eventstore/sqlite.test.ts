// The contract suite on the SQLite adapter, each test on its own file in a temp dir.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeEventStoreContract } from './contract.js';

describeEventStoreContract('sqlite', {
  async prepare() {
    const dir = await mkdtemp(join(tmpdir(), 'strata-events-'));
    return {
      settings: { dataDir: dir, eventStore: { adapter: 'sqlite', sqlitePath: join(dir, 'events.db') } },
      cleanup: () => rm(dir, { recursive: true, force: true }),
    };
  },
});
