// Walks the hash chains of the whole log (or of one stream) page by page, so memory
// holds one page plus one link per stream, never the log.
import { ChainVerifier } from '../eventstore/hash-chain.js';
import type { ChainBreak } from '../eventstore/hash-chain.js';
import type { EventStore, RecordedEvent } from '../eventstore/port.js';

export const VERIFY_PAGE_SIZE = 5_000;

export interface BrokenLink extends ChainBreak {
  eventId: string;
  type: string;
}

export type ChainReport =
  | { ok: true; events: number; streams: number }
  | { ok: false; events: number; broken: BrokenLink };

/** Verifies every stream when `stream` is undefined; stops at the first broken link. */
export async function verifyChains(store: EventStore, stream?: string, pageSize = VERIFY_PAGE_SIZE): Promise<ChainReport> {
  const verifier = new ChainVerifier();
  let events = 0;
  let streams = 0;
  for await (const page of stream === undefined ? logPages(store, pageSize) : streamPages(store, stream, pageSize)) {
    for (const event of page) {
      const broken = verifier.check(event);
      if (broken) return { ok: false, events, broken: { ...broken, eventId: event.id, type: event.type } };
      events += 1;
      // Every chain starts at revision 0 (a missing start is a broken link above).
      if (event.revision === 0) streams += 1;
    }
  }
  return { ok: true, events, streams };
}

export async function* logPages(store: EventStore, pageSize: number): AsyncGenerator<RecordedEvent[]> {
  const until = await store.headPosition();
  let after = 0;
  while (after < until) {
    const page = await store.readAll({ after, maxCount: pageSize });
    const last = page.at(-1);
    if (!last) return;
    yield page;
    after = last.position;
  }
}

/** One stream's events from revision 0, a page at a time. */
export async function* streamPages(store: EventStore, stream: string, pageSize: number): AsyncGenerator<RecordedEvent[]> {
  let fromRevision = 0;
  for (;;) {
    const page = await store.readStream(stream, { fromRevision, maxCount: pageSize });
    const last = page.at(-1);
    if (!last) return;
    yield page;
    if (page.length < pageSize) return;
    fromRevision = last.revision + 1;
  }
}
