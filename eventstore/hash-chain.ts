// Tamper evidence for audits: each event's hash covers its content and the previous
// event's hash in the same stream, so changing, removing or reordering a stored event
// breaks every later link. Pure: no I/O, usable by adapters, projections and audit tools.
import { hash } from 'node:crypto';
import type { EventMetadata, RecordedEvent } from './port.js';

/** `prevHash` of revision 0. */
export const GENESIS_HASH = '0'.repeat(64);

/**
 * JSON with object keys sorted and no whitespace, following JSON.stringify's rules for
 * what is not JSON (toJSON, undefined members dropped, non-finite numbers as null), so a
 * value hashes the same before storing and after reading it back.
 */
export function canonicalJson(value: unknown): string {
  // JSON.stringify writes exactly this when every object's keys already come in sorted
  // order: natively (~3x faster on an event's data) and as one flat string.
  if (isPlainJsonWithSortedKeys(value)) return JSON.stringify(value);
  return canonicalOrUndefined(value) ?? 'null';
}

/**
 * Whether `value` is a plain object or array whose objects, at every depth, list their
 * keys in sorted order, holding nothing JSON.stringify would treat other than the
 * walk below (no toJSON, no bigint, no boxed primitive or class instance).
 */
function isPlainJsonWithSortedKeys(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  if (Array.isArray(value)) return value.every(isPlainJsonMember);
  const prototype = Object.getPrototypeOf(value) as unknown;
  if ((prototype !== Object.prototype && prototype !== null) || 'toJSON' in value) return false;
  const keys = Object.keys(value);
  for (let index = 0; index < keys.length; index += 1) {
    if (index > 0 && keys[index - 1]! >= keys[index]!) return false;
    if (!isPlainJsonMember((value as Record<string, unknown>)[keys[index]!])) return false;
  }
  return true;
}

function isPlainJsonMember(value: unknown): boolean {
  if (typeof value === 'bigint') return false;
  return typeof value !== 'object' || value === null || isPlainJsonWithSortedKeys(value);
}

function canonicalOrUndefined(value: unknown): string | undefined {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
      return Number.isFinite(value) ? String(value) : 'null';
    case 'boolean':
      return value ? 'true' : 'false';
    case 'bigint':
      throw new TypeError('bigint has no JSON form');
    case 'object':
      return value === null ? 'null' : canonicalObject(value);
    default:
      return undefined;
  }
}

function canonicalObject(value: object): string | undefined {
  if ('toJSON' in value && typeof value.toJSON === 'function') return canonicalOrUndefined((value.toJSON as () => unknown)());
  if (Array.isArray(value)) {
    let text = '[';
    for (let index = 0; index < value.length; index += 1) {
      text += `${index === 0 ? '' : ','}${canonicalOrUndefined(value[index]) ?? 'null'}`;
    }
    return `${text}]`;
  }
  let text = '{';
  for (const key of Object.keys(value).sort()) {
    const member = canonicalOrUndefined((value as Record<string, unknown>)[key]);
    if (member !== undefined) text += `${text.length === 1 ? '' : ','}${JSON.stringify(key)}:${member}`;
  }
  return `${text}}`;
}

/**
 * canonicalJson(metadata) for metadata as eventMetadataSchema parses it: one
 * JSON.stringify over a copy whose keys are in sorted order. Metadata is most of an
 * event's text; this takes ~0.5 µs where the generic walk takes ~1.6, and it returns one
 * flat string, which SQLite and the hash read without first joining a rope of pieces.
 * The `Required` annotations make the compiler reject it once the metadata type gains a
 * field it does not copy.
 */
export function canonicalMetadata(metadata: EventMetadata): string {
  const { actor } = metadata;
  const sorted: Required<EventMetadata> = {
    activity: metadata.activity,
    actor: actor === null ? null : ({ projectId: actor.projectId, roles: actor.roles, userId: actor.userId } satisfies Required<typeof actor>),
    causationId: metadata.causationId,
    correlationId: metadata.correlationId,
    requestId: metadata.requestId,
    runId: metadata.runId,
    timestamp: metadata.timestamp,
    workflowId: metadata.workflowId,
  };
  return JSON.stringify(sorted);
}

/** The parts of an event its hash covers. */
export type HashedEvent = Pick<RecordedEvent, 'id' | 'stream' | 'revision' | 'type' | 'data' | 'metadata'>;

/**
 * canonicalJson({ id, stream, revision, type, data, metadata }) for data and metadata
 * already in canonical form: adapters store those texts, so they are built only once.
 */
export function canonicalEvent(event: Omit<HashedEvent, 'data' | 'metadata'>, dataJson: string, metadataJson: string): string {
  const { id, stream, revision, type } = event;
  return `{"data":${dataJson},"id":${JSON.stringify(id)},"metadata":${metadataJson},"revision":${JSON.stringify(revision)},"stream":${JSON.stringify(stream)},"type":${JSON.stringify(type)}}`;
}

/** sha-256 (hex) over the previous hash followed by the event's canonical form. */
export function chainHash(prevHash: string, canonicalEventJson: string): string {
  return hash('sha256', prevHash + canonicalEventJson, 'hex');
}

export function eventHash(prevHash: string, event: HashedEvent): string {
  return chainHash(prevHash, canonicalEvent(event, canonicalJson(event.data), canonicalJson(event.metadata)));
}

export interface ChainBreak {
  stream: string;
  revision: number;
  position: number;
  reason: 'hash-mismatch' | 'link-mismatch';
  /** For `hash-mismatch` the recomputed hash; for `link-mismatch` the hash of the previous event seen. */
  expectedHash: string;
  /** For `hash-mismatch` the stored hash; for `link-mismatch` the stored prevHash. */
  storedHash: string;
}

/**
 * Checks events one at a time, in log order, remembering each stream's last link.
 * Feed it a log from position 0 (or a stream from revision 0): an event whose predecessor
 * it has not seen counts as a broken link, which is how a removed event shows.
 */
export class ChainVerifier {
  private readonly lastSeen = new Map<string, { revision: number; hash: string }>();

  check(event: RecordedEvent): ChainBreak | null {
    const previous = this.lastSeen.get(event.stream);
    const expectedPrevHash = previous?.hash ?? GENESIS_HASH;
    const expectedRevision = previous ? previous.revision + 1 : 0;
    const at = { stream: event.stream, revision: event.revision, position: event.position };
    if (event.prevHash !== expectedPrevHash || event.revision !== expectedRevision) {
      return { ...at, reason: 'link-mismatch', expectedHash: expectedPrevHash, storedHash: event.prevHash };
    }
    const recomputed = eventHash(event.prevHash, event);
    if (recomputed !== event.hash) {
      return { ...at, reason: 'hash-mismatch', expectedHash: recomputed, storedHash: event.hash };
    }
    this.lastSeen.set(event.stream, { revision: event.revision, hash: event.hash });
    return null;
  }
}

/** The first broken link in `events` (in log order), or null when every chain holds. */
export function verifyChain(events: Iterable<RecordedEvent>): ChainBreak | null {
  const verifier = new ChainVerifier();
  for (const event of events) {
    const broken = verifier.check(event);
    if (broken) return broken;
  }
  return null;
}
