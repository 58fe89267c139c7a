// The event-store port. Modelled on KurrentDB semantics so that the SQLite adapter
// (default) and the KurrentDB adapter are interchangeable behind one contract suite.
import { z } from 'zod';

/** Who caused an event and in which process step: carried by every event. */
export const eventMetadataSchema = z.object({
  actor: z
    .object({
      userId: z.string(),
      projectId: z.string().nullable(),
      roles: z.array(z.string()),
    })
    .nullable(),
  requestId: z.string().nullable(),
  correlationId: z.string().nullable(),
  causationId: z.string().nullable(),
  workflowId: z.string().nullable(),
  runId: z.string().nullable(),
  activity: z.string().nullable(),
  /** ISO-8601 time the event was produced (not the time it was stored). */
  timestamp: z.string(),
});
export type EventMetadata = z.infer<typeof eventMetadataSchema>;

/** An event a caller wants appended. `id` is a UUID chosen by the caller: a retry reuses it. */
export interface NewEvent {
  id: string;
  /** Versioned type name, e.g. `InstanceBooted.v1`. */
  type: string;
  data: unknown;
  metadata: EventMetadata;
}

/** An event as stored. */
export interface RecordedEvent {
  id: string;
  stream: string;
  /** 0-based revision of the event inside its stream. */
  revision: number;
  /** Global position in the log, strictly increasing, starting at 1. */
  position: number;
  type: string;
  data: unknown;
  metadata: EventMetadata;
  /** sha-256 (hex) over the previous event's hash in the stream and this event's canonical form. */
  hash: string;
  /** Hash of the previous event in the stream; 64 zeroes for the first event. */
  prevHash: string;
}

/** Revision of the last event the caller expects the stream to have. */
export type ExpectedRevision = number | 'no_stream' | 'exists' | 'any';

export interface AppendResult {
  /**
   * Revision of the last event of the stream after the append; for an idempotent retry,
   * of the retried batch's last event; for an empty batch (a bare expected-revision
   * check), the stream's current revision, -1 when it has no events.
   */
  nextRevision: number;
  /** Global positions of the appended events, in order (the originals on an idempotent retry). */
  positions: number[];
}

export interface ReadStreamOptions {
  direction?: 'forwards' | 'backwards';
  /** Start at this revision (inclusive). Defaults to the start (forwards) or the end (backwards). */
  fromRevision?: number;
  maxCount?: number;
}

export interface ReadAllOptions {
  /** Read events with a position strictly greater than this one. 0 = from the start. */
  after?: number;
  maxCount?: number;
}

export interface SubscriptionFilter {
  streamPrefixes?: string[];
  eventTypes?: string[];
}

export interface SubscribeAllOptions extends ReadAllOptions {
  filter?: SubscriptionFilter;
}

/** Catch-up then live subscription; iterate it, `close()` ends the iteration. */
export interface Subscription extends AsyncIterable<RecordedEvent> {
  close(): Promise<void>;
}

export interface EventStore {
  append(stream: string, events: NewEvent[], options: { expected: ExpectedRevision }): Promise<AppendResult>;
  readStream(stream: string, options?: ReadStreamOptions): Promise<RecordedEvent[]>;
  readAll(options?: ReadAllOptions): Promise<RecordedEvent[]>;
  subscribeAll(options?: SubscribeAllOptions): Subscription;
  /** Position of the newest event in the log (0 when empty). Also the readiness probe. */
  headPosition(): Promise<number>;
  close(): Promise<void>;
}

/** The stream is not at the revision the caller expected. The API maps it to 409. */
export class WrongExpectedRevisionError extends Error {
  override readonly name = 'WrongExpectedRevisionError';
  constructor(
    readonly stream: string,
    readonly expected: ExpectedRevision,
    /** Actual last revision, or 'no_stream'. */
    readonly actual: number | 'no_stream',
  ) {
    super(`stream ${stream}: expected revision ${String(expected)}, actual ${String(actual)}`);
  }
}

/** Event data failed its schema, or the type is unknown: nothing was written. */
export class InvalidEventError extends Error {
  override readonly name = 'InvalidEventError';
  constructor(
    readonly eventType: string,
    readonly issues: string,
  ) {
    super(`event ${eventType} rejected: ${issues}`);
  }
}

/** The store's file or server is unusable (corrupt, unreadable, wrong schema). Start-up stops. */
export class EventStoreUnavailableError extends Error {
  override readonly name = 'EventStoreUnavailableError';
}

/**
 * An event id is already stored somewhere other than where this append would put it
 * (another stream, another revision, or only part of the batch): not a retry, so
 * nothing was written. The API maps it to 409 like a revision conflict.
 */
export class EventIdConflictError extends Error {
  override readonly name = 'EventIdConflictError';
  constructor(
    readonly stream: string,
    readonly eventId: string,
    readonly storedAt: string,
  ) {
    super(`stream ${stream}: event id ${eventId} is already stored at ${storedAt}`);
  }
}
