// The contract suite on a real KurrentDB server, when one is configured. Without one the
// suite shows up as skipped, with the reason, and never as a pass.
import { describe, it } from 'vitest';
import { describeEventStoreContract } from './contract.js';

const connectionString = process.env.KURRENTDB_CONNECTION_STRING;

if (connectionString) {
  describeEventStoreContract('kurrentdb', {
    prepare: () =>
      Promise.resolve({
        settings: { dataDir: 'data', eventStore: { adapter: 'kurrentdb', kurrentdbConnectionString: connectionString } },
        // Every test writes to streams of its own; the server's log is left as it is.
        cleanup: () => Promise.resolve(),
      }),
  });
} else {
  describe('event store contract: kurrentdb', () => {
    it.skip('KurrentDB contract skipped: KURRENTDB_CONNECTION_STRING not set', () => {});
  });
}
