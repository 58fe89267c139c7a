// The default event store: one SQLite file, shared safely by every process on the machine.
import { resolve } from 'node:path';
import { catchUpSubscription } from '../catch-up-subscription.js';
import { ChangeSignal } from '../change-signal.js';
import { assertStreamName } from '../schemas.js';
import type { EventSchemaRegistry } from '../schemas.js';
import type { AppendResult, EventStore, SubscribeAllOptions, Subscription } from '../port.js';
import { createBatchWriter } from './append-batch.js';
import type { AppendRequest } from './append-batch.js';
import { CONNECTION_PRAGMAS, openEventDatabase } from './database.js';
import { watchExternalAppends } from './external-appends.js';
import type { ExternalAppendWatch } from './external-appends.js';
import { GroupCommitQueue } from './group-commit.js';
import { prepareQueries } from './queries.js';
import { lazyWriterThread } from './writer-thread.js';

export interface SqliteEventStoreOptions {
  path: string;
  schemas: EventSchemaRegistry;
}

export function openSqliteEventStore({ path, schemas }: SqliteEventStoreOptions): EventStore {
  const db = openEventDatabase(resolve(path));
  const queries = prepareQueries(db);
  const changes = new ChangeSignal();
  const thread = lazyWriterThread(db.name, CONNECTION_PRAGMAS);
  const writeBatch = createBatchWriter(db, queries, thread.get);
  const commits = new GroupCommitQueue<AppendRequest, AppendResult>(writeBatch, {
    onWritten: (outcomes) => {
      if (outcomes.some((outcome) => outcome.ok)) changes.notify();
    },
  });

  const subscriptions = new Set<Subscription>();
  let externalWatch: ExternalAppendWatch | undefined;
  let closed = false;
  /**
   * better-sqlite3 is synchronous; the port is not. Errors become rejections, as callers
   * expect. A promise the work returns is handed back as it is: wrapping it in another
   * would cost every append two more turns of the microtask queue.
   */
  const whenOpen = <T>(work: () => T | Promise<T>): Promise<T> => {
    try {
      if (closed) throw new Error(`event store ${db.name} is closed`);
      return Promise.resolve(work());
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
  };
  const readAll: EventStore['readAll'] = (options = {}) => whenOpen(() => queries.readAll(options.after, options.maxCount));

  return {
    append: (stream, events, { expected }) =>
      whenOpen(() => {
        assertStreamName(stream);
        return commits.submit({ stream, events: schemas.validateBatch(events), expected });
      }),

    readStream: (stream, options = {}) =>
      whenOpen(() => queries.readStream(stream, options.direction ?? 'forwards', options.fromRevision, options.maxCount)),

    readAll,

    subscribeAll(options: SubscribeAllOptions = {}) {
      if (closed) throw new Error(`event store ${db.name} is closed`);
      externalWatch ??= watchExternalAppends(db, () => changes.notify());
      const subscription = catchUpSubscription({ readAll, changes }, options, () => {
        subscriptions.delete(subscription);
        if (subscriptions.size > 0) return;
        externalWatch?.stop();
        externalWatch = undefined;
      });
      subscriptions.add(subscription);
      return subscription;
    },

    headPosition: () => whenOpen(() => queries.headPosition()),

    async close() {
      if (closed) return;
      // Subscriptions first, so none is left reading from a closed store.
      await Promise.all([...subscriptions].map((subscription) => subscription.close()));
      closed = true;
      await commits.idle();
      await thread.close();
      db.close();
    },
  };
}
