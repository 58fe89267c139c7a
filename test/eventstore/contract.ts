// The behaviour every event-store adapter must show. An adapter's test file calls
// describeEventStoreContract with a way to get a fresh configuration; tests use unique
// stream names and positions relative to the head, so a shared server works too.
import { afterEach, beforeEach, describe } from 'vitest';
import { openEventStore } from '../../eventstore/open.js';
import type { EventStoreSettings } from '../../eventstore/open.js';
import type { EventStore } from '../../eventstore/port.js';
import { appendContract } from './contract-appends.js';
import { processContract } from './contract-processes.js';
import { readContract } from './contract-reads.js';
import { subscriptionContract } from './contract-subscriptions.js';
import { testEventSchemas } from './fixtures/events.js';

export interface ContractTarget {
  /** Settings for a store the test may fill; `cleanup` removes whatever they created. */
  prepare(): Promise<{ settings: EventStoreSettings; cleanup(): Promise<void> }>;
}

export interface ContractHarness {
  /** Opens (another) store on this test's settings; closed after the test. */
  open(): EventStore;
  settings(): EventStoreSettings;
}

export function describeEventStoreContract(adapter: string, target: ContractTarget): void {
  describe(`event store contract: ${adapter}`, () => {
    let prepared: Awaited<ReturnType<ContractTarget['prepare']>> | undefined;
    let opened: EventStore[] = [];

    beforeEach(async () => {
      prepared = await target.prepare();
    });
    afterEach(async () => {
      await Promise.all(opened.map((store) => store.close()));
      opened = [];
      await prepared?.cleanup();
    });

    const harness: ContractHarness = {
      settings() {
        if (!prepared) throw new Error('contract harness used outside a test');
        return prepared.settings;
      },
      open() {
        const store = openEventStore(harness.settings(), testEventSchemas());
        opened.push(store);
        return store;
      },
    };

    appendContract(harness);
    readContract(harness);
    subscriptionContract(harness);
    processContract(harness);
  });
}
