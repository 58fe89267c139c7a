// The decisions every adapter makes before writing an append, kept pure so the SQLite
// and KurrentDB adapters cannot drift apart: does the expected revision hold, and is
// this batch a retry of one already stored?
import { EventIdConflictError, WrongExpectedRevisionError } from './port.js';
import type { AppendResult, ExpectedRevision } from './port.js';

/** Last revision of a stream, or `no_stream`. */
export type StreamHead = number | 'no_stream';

export function assertExpectedRevision(stream: string, expected: ExpectedRevision, actual: StreamHead): void {
  const holds =
    expected === 'any' ||
    (expected === 'no_stream' && actual === 'no_stream') ||
    (expected === 'exists' && actual !== 'no_stream') ||
    expected === actual;
  if (!holds) throw new WrongExpectedRevisionError(stream, expected, actual);
}

/** Where one of the batch's ids is already stored, if anywhere. */
export interface StoredLocation {
  stream: string;
  revision: number;
  position: number;
}

/**
 * `null` when none of the ids is stored (a new append). The original result when all of
 * them are stored in this stream, in order, where this append would have put them (a
 * retry). Anything in between is an EventIdConflictError.
 */
export function resolveRetry(
  stream: string,
  expected: ExpectedRevision,
  eventIds: readonly string[],
  stored: readonly (StoredLocation | undefined)[],
): AppendResult | null {
  if (stored.every((location) => location === undefined)) return null;
  const first = stored[0];
  const firstRevision = first?.stream === stream ? first.revision : undefined;
  const retryStartsWhereExpected =
    firstRevision !== undefined &&
    (typeof expected === 'number' ? firstRevision === expected + 1 : expected !== 'no_stream' || firstRevision === 0);
  const inPlace = (location: StoredLocation | undefined, index: number): location is StoredLocation =>
    retryStartsWhereExpected && location !== undefined && location.stream === stream && location.revision === (firstRevision ?? 0) + index;
  // The error names a stored id that is out of place if there is one; otherwise only some
  // ids are stored, all in place, and it names the first that is not.
  const misplaced = stored.findIndex((location, index) => location !== undefined && !inPlace(location, index));
  const offending = misplaced >= 0 ? misplaced : stored.findIndex((location) => location === undefined);
  if (offending >= 0) throw new EventIdConflictError(stream, eventIds[offending]!, describe(stored[offending], stream, expected));
  return { nextRevision: (firstRevision ?? 0) + eventIds.length - 1, positions: stored.map((location) => location!.position) };
}

function describe(location: StoredLocation | undefined, stream: string, expected: ExpectedRevision): string {
  if (!location) return `nowhere, while the batch's other ids are stored in ${stream}: a retry must repeat the whole batch`;
  const where = `${location.stream}@${location.revision} (position ${location.position})`;
  return location.stream === stream ? `${where}, not after expected revision ${String(expected)}` : where;
}
