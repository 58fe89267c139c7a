// What the event log says a storage node holds: each of its volumes folded to its current
// state. The storage worker has no read model of its own; it reads the log in pages at
// start (and after tgtd restarts) to restore the exports the log records.
import { fold } from '../../domain/decider.js';
import type { VolumeEvent } from '../../domain/volume/events.js';
import type { VolumeState } from '../../domain/volume/volume.js';
import { volumeDecider } from '../../domain/volume/volume.js';
import type { EventStore } from '../../eventstore/port.js';

const PAGE_SIZE = 1_000;
const STREAM_PREFIX = 'volume-';

export async function volumesOfNode(events: EventStore, node: string): Promise<VolumeState[]> {
  const byStream = new Map<string, VolumeEvent[]>();
  for (let after = 0; ; ) {
    const page = await events.readAll({ after, maxCount: PAGE_SIZE });
    for (const event of page) {
      if (!event.stream.startsWith(STREAM_PREFIX)) continue;
      const history = byStream.get(event.stream) ?? [];
      history.push({ type: event.type, data: event.data } as VolumeEvent);
      byStream.set(event.stream, history);
    }
    if (page.length < PAGE_SIZE) break;
    after = page.at(-1)?.position ?? after;
  }
  return [...byStream.values()]
    .map((history) => fold(volumeDecider, history))
    .filter((state) => state.request?.node === node && state.status !== 'deleted');
}
