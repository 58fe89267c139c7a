// The scale-out event store: a KurrentDB (EventStoreDB) server or cluster. Same port and
// contract as the SQLite adapter; positions are KurrentDB commit positions.
import { BACKWARDS, END, excludeSystemEvents, FORWARDS, KurrentDBClient, START } from '@kurrent/kurrentdb-client';
import type { ReadAllOptions as KurrentReadAllOptions } from '@kurrent/kurrentdb-client';
import { assertStreamName } from '../schemas.js';
import type { EventSchemaRegistry } from '../schemas.js';
import { EventStoreUnavailableError } from '../port.js';
import type { EventStore, RecordedEvent, Subscription } from '../port.js';
import { appendChained, readStreamEvents } from './append.js';
import { toRecordedEvent } from './records.js';
import { kurrentSubscription, positionOf } from './subscription.js';

export interface KurrentDbEventStoreOptions {
  connectionString: string;
  schemas: EventSchemaRegistry;
}

export function openKurrentDbEventStore({ connectionString, schemas }: KurrentDbEventStoreOptions): EventStore {
  let client: KurrentDBClient;
  try {
    client = KurrentDBClient.connectionString(connectionString);
  } catch (error) {
    throw new EventStoreUnavailableError(`KurrentDB connection string is not usable: ${String(error)}`, { cause: error });
  }
  const subscriptions = new Set<Subscription>();
  let closed = false;

  async function readAllFiltered(options: KurrentReadAllOptions, after: number, maxCount: number): Promise<RecordedEvent[]> {
    const events: RecordedEvent[] = [];
    for await (const resolved of client.readAll({ ...options, filter: excludeSystemEvents() })) {
      if (!resolved.event || resolved.event.streamId.startsWith('$')) continue;
      const event = toRecordedEvent(resolved.event);
      if (event.position <= after) continue;
      events.push(event);
      if (events.length >= maxCount) break;
    }
    return events;
  }

  return {
    async append(stream, events, { expected }) {
      assertStreamName(stream);
      return appendChained(client, stream, schemas.validateBatch(events), expected);
    },

    async readStream(stream, options = {}) {
      const direction = options.direction ?? 'forwards';
      const fromRevision = options.fromRevision === undefined ? (direction === 'forwards' ? START : END) : BigInt(options.fromRevision);
      return readStreamEvents(client, stream, {
        direction: direction === 'forwards' ? FORWARDS : BACKWARDS,
        fromRevision,
        maxCount: options.maxCount ?? Number.MAX_SAFE_INTEGER,
      });
    },

    async readAll(options = {}) {
      const after = options.after ?? 0;
      const maxCount = options.maxCount ?? Number.MAX_SAFE_INTEGER;
      // The read starts at `after` inclusive; one more than asked leaves room to drop it.
      const readCount = Math.min(maxCount + 1, Number.MAX_SAFE_INTEGER);
      return readAllFiltered({ fromPosition: positionOf(after), maxCount: readCount }, after, maxCount);
    },

    subscribeAll(options = {}) {
      const subscription = kurrentSubscription(client, options, () => subscriptions.delete(subscription));
      subscriptions.add(subscription);
      return subscription;
    },

    async headPosition() {
      const [last] = await readAllFiltered({ direction: BACKWARDS, fromPosition: END, maxCount: 1 }, 0, 1);
      return last?.position ?? 0;
    },

    async close() {
      if (closed) return;
      closed = true;
      await Promise.all([...subscriptions].map((subscription) => subscription.close()));
      await client.dispose();
    },
  };
}
