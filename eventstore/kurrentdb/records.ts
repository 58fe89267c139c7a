// How strata events sit in KurrentDB: data as JSON, and the metadata carrying the hash
// chain next to strata's own fields, so an audit can verify a chain read from the server.
import { jsonEvent } from '@kurrent/kurrentdb-client';
import type { EventData, JSONType, RecordedEvent as KurrentRecordedEvent } from '@kurrent/kurrentdb-client';
import type { NewEvent, RecordedEvent } from '../port.js';

interface ChainLink {
  hash: string;
  prevHash: string;
}

type StoredMetadata = RecordedEvent['metadata'] & { chain: ChainLink };

export function toEventData(event: NewEvent, link: ChainLink): EventData {
  const metadata: StoredMetadata = { ...event.metadata, chain: link };
  return jsonEvent({ id: event.id, type: event.type, data: event.data as JSONType, metadata });
}

/** Only events read from $all or from a 22.6+ server carry a position; strata needs it. */
export function toRecordedEvent(event: KurrentRecordedEvent): RecordedEvent {
  const { chain, ...metadata } = (event.isJson ? event.metadata : {}) as Partial<StoredMetadata>;
  if (!chain || !event.position) {
    throw new Error(`KurrentDB event ${event.streamId}@${event.revision} is not a strata event (no hash chain or no position)`);
  }
  return {
    id: event.id,
    stream: event.streamId,
    revision: Number(event.revision),
    position: Number(event.position.commit),
    type: event.type,
    data: event.data,
    metadata: metadata as RecordedEvent['metadata'],
    hash: chain.hash,
    prevHash: chain.prevHash,
  };
}
