// The fast path of the metadata check. Every event carries metadata, and with one
// envelope per event the schema's parse was the largest part of validating an append
// (~0.6 µs per object where this takes ~0.1). This reads the exact shape
// eventMetadataSchema accepts, field by field, and returns what its parse returns: a
// fresh object with only the known fields, roles copied. For anything else (a missing
// field, a wrong type) it returns undefined, and the schema decides and explains.
import type { EventMetadata } from './port.js';

type Actor = NonNullable<EventMetadata['actor']>;

const isNullableString = (value: unknown): value is string | null => value === null || typeof value === 'string';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function stringsCopy(value: unknown): string[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const copy: string[] = [];
  // Indexed, not every(): a hole in the array is no string either.
  for (let index = 0; index < value.length; index += 1) {
    const item: unknown = value[index];
    if (typeof item !== 'string') return undefined;
    copy.push(item);
  }
  return copy;
}

function quickActor(value: unknown): Actor | null | undefined {
  if (value === null) return null;
  if (!isRecord(value)) return undefined;
  const { userId, projectId } = value;
  const roles = stringsCopy(value.roles);
  if (typeof userId !== 'string' || !isNullableString(projectId) || roles === undefined) return undefined;
  return { userId, projectId, roles };
}

export function quickMetadata(value: unknown): EventMetadata | undefined {
  if (!isRecord(value)) return undefined;
  const { requestId, correlationId, causationId, workflowId, runId, activity, timestamp } = value;
  const actor = quickActor(value.actor);
  const nullableStrings = isNullableString(requestId) && isNullableString(correlationId) && isNullableString(causationId);
  if (actor === undefined || !nullableStrings || !isNullableString(workflowId) || !isNullableString(runId) || !isNullableString(activity)) {
    return undefined;
  }
  if (typeof timestamp !== 'string') return undefined;
  return { actor, requestId, correlationId, causationId, workflowId, runId, activity, timestamp };
}
