// Appending to KurrentDB with the hash chain: the chain needs the stream's last hash, so
// every write names the exact revision it builds on; for `any`/`exists` a lost race is
// retried on the new head instead of being reported to the caller.
import { BACKWARDS, END, FORWARDS, NO_STREAM, StreamNotFoundError, WrongExpectedVersionError } from '@kurrent/kurrentdb-client';
import type { KurrentDBClient, ReadStreamOptions } from '@kurrent/kurrentdb-client';
import { assertExpectedRevision, resolveRetry } from '../append-plan.js';
import type { StoredLocation } from '../append-plan.js';
import { eventHash, GENESIS_HASH } from '../hash-chain.js';
import { WrongExpectedRevisionError } from '../port.js';
import type { AppendResult, ExpectedRevision, NewEvent, RecordedEvent } from '../port.js';
import { toEventData, toRecordedEvent } from './records.js';

/** How far back an `any`/`exists` retry is recognised: KurrentDB has no index by event id. */
const RETRY_WINDOW = 256;
const MAX_ATTEMPTS = 20;

export async function appendChained(
  client: KurrentDBClient,
  stream: string,
  events: NewEvent[],
  expected: ExpectedRevision,
): Promise<AppendResult> {
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt += 1) {
    const [last] = await readStreamEvents(client, stream, { direction: BACKWARDS, fromRevision: END, maxCount: 1 });
    const head = last?.revision ?? 'no_stream';
    const ids = events.map((event) => event.id);
    if (ids.length > 0) {
      const candidates = await readRetryCandidates(client, stream, expected, ids.length);
      const byId = new Map<string, StoredLocation>(candidates.map((event) => [event.id, event]));
      const original = resolveRetry(stream, expected, ids, ids.map((id) => byId.get(id)));
      if (original) return original;
    }
    assertExpectedRevision(stream, expected, head);
    if (events.length === 0) return { nextRevision: last?.revision ?? -1, positions: [] };

    let prevHash = last?.hash ?? GENESIS_HASH;
    const firstRevision = (last?.revision ?? -1) + 1;
    const eventData = events.map((event, index) => {
      const hash = eventHash(prevHash, { ...event, stream, revision: firstRevision + index });
      const data = toEventData(event, { hash, prevHash });
      prevHash = hash;
      return data;
    });
    try {
      await client.appendToStream(stream, eventData, { streamState: head === 'no_stream' ? NO_STREAM : BigInt(head) });
    } catch (error) {
      if (error instanceof WrongExpectedVersionError) continue;
      throw error;
    }
    const written = await readStreamEvents(client, stream, { direction: FORWARDS, fromRevision: BigInt(firstRevision), maxCount: events.length });
    return { nextRevision: firstRevision + events.length - 1, positions: written.map((event) => event.position) };
  }
  throw new WrongExpectedRevisionError(stream, expected, await currentHead(client, stream));
}

/** Where the batch's ids would be if this append is a retry of one already stored. */
function readRetryCandidates(client: KurrentDBClient, stream: string, expected: ExpectedRevision, count: number) {
  if (typeof expected === 'number') {
    return readStreamEvents(client, stream, { direction: FORWARDS, fromRevision: BigInt(expected + 1), maxCount: count });
  }
  if (expected === 'no_stream') return readStreamEvents(client, stream, { direction: FORWARDS, maxCount: count });
  return readStreamEvents(client, stream, { direction: BACKWARDS, fromRevision: END, maxCount: Math.max(RETRY_WINDOW, count) });
}

async function currentHead(client: KurrentDBClient, stream: string): Promise<number | 'no_stream'> {
  const [last] = await readStreamEvents(client, stream, { direction: BACKWARDS, fromRevision: END, maxCount: 1 });
  return last?.revision ?? 'no_stream';
}

/** A stream that does not exist reads as empty, as it does in the SQLite adapter. */
export async function readStreamEvents(client: KurrentDBClient, stream: string, options: ReadStreamOptions): Promise<RecordedEvent[]> {
  const events: RecordedEvent[] = [];
  try {
    for await (const resolved of client.readStream(stream, options)) {
      if (resolved.event) events.push(toRecordedEvent(resolved.event));
    }
  } catch (error) {
    if (error instanceof StreamNotFoundError) return [];
    throw error;
  }
  return events;
}
