// Times this process's appends: the port wrapped, every other call passed through.
import type { EventStore } from '../../eventstore/port.js';
import type { StrataMetrics } from './registry.js';

export function instrumentAppends(store: EventStore, metrics: Pick<StrataMetrics, 'appends' | 'appendDuration'>): EventStore {
  return {
    append: async (stream, events, options) => {
      const stop = metrics.appendDuration.startTimer();
      let outcome = 'error';
      try {
        const result = await store.append(stream, events, options);
        outcome = 'ok';
        return result;
      } finally {
        metrics.appends.inc({ outcome });
        stop({ outcome });
      }
    },
    readStream: (stream, options) => store.readStream(stream, options),
    readAll: (options) => store.readAll(options),
    subscribeAll: (options) => store.subscribeAll(options),
    headPosition: () => store.headPosition(),
    close: () => store.close(),
  };
}
