// Chooses the event-store adapter the configuration names.
import { dataPaths } from '../config/paths.js';
import type { StrataConfig } from '../config/schema.js';
import { openKurrentDbEventStore } from './kurrentdb/index.js';
import type { EventStore } from './port.js';
import { EventStoreUnavailableError } from './port.js';
import type { EventSchemaRegistry } from './schemas.js';
import { openSqliteEventStore } from './sqlite/index.js';

export type EventStoreSettings = Pick<StrataConfig, 'dataDir' | 'eventStore'>;

export function openEventStore(config: EventStoreSettings, schemas: EventSchemaRegistry): EventStore {
  const { adapter, kurrentdbConnectionString } = config.eventStore;
  if (adapter === 'sqlite') {
    return openSqliteEventStore({ path: dataPaths(config).events, schemas });
  }
  if (!kurrentdbConnectionString) {
    throw new EventStoreUnavailableError('eventStore.adapter is kurrentdb but eventStore.kurrentdbConnectionString is not set');
  }
  return openKurrentDbEventStore({ connectionString: kurrentdbConnectionString, schemas });
}
