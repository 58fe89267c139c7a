// Deterministic event ids: a retried activity or API call derives the same ids from the
// same business key, so the store's idempotency turns the retry into a no-op.
import { createHash } from 'node:crypto';

/** A UUID (version 5 layout, sha-1 based) derived from a key such as `launch-<id>/createRootDisk`. */
export function deterministicEventId(key: string, index = 0): string {
  const bytes = createHash('sha1').update(`strata-event:${key}#${index}`).digest().subarray(0, 16);
  bytes[6] = ((bytes[6] as number) & 0x0f) | 0x50;
  bytes[8] = ((bytes[8] as number) & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
