// The shape of one bad-input case: who sends which request (built from the fixtures the
// runner made), and the 4xx the service must answer. The runner checks the rest for every
// case alike: the service's OpenStack error body, and nothing changed.
import type { InjectOptions } from 'fastify';
import type { Fixtures } from './fixtures.js';

/** Whose X-Auth-Token goes with the request ('none' sends no token). */
export type Sender = 'admin' | 'alice' | 'bob' | 'reader' | 'expired' | 'revoked' | 'disabled' | 'forged' | 'none';

export interface BadRequest {
  method: InjectOptions['method'];
  url: string;
  headers?: Record<string, string>;
  /** Sent as application/json (unless headers say otherwise). */
  json?: unknown;
  /** Sent as it is (malformed JSON, other media types, raw bytes). */
  body?: string | Buffer;
}

export interface BadInputCase {
  label: string;
  as: Sender;
  request: (f: Fixtures) => BadRequest;
  status: number;
  /** Words the error message must contain, when the refusal has a specific reason. */
  message?: string;
}

/** A request to `url` that sends `body` as it is, labelled with `contentType`. */
export function raw(method: InjectOptions['method'], url: string, body: string | Buffer, contentType = 'application/json', headers: Record<string, string> = {}): BadRequest {
  return { method, url, body, headers: { 'content-type': contentType, ...headers } };
}

/** A JSON body, bigger than the API's 1 MiB body limit. */
export function hugeJson(wrapper: (filler: string) => unknown): string {
  return JSON.stringify(wrapper('x'.repeat(1024 * 1024 + 16)));
}

/** Strings a careless or hostile client puts where a name or id goes. */
export const HOSTILE_STRINGS = {
  nul: 'a\u0000b',
  loneSurrogate: 'a\ud800b',
  rtlOverride: '\u202egnp.exe',
  traversal: '../../../etc/passwd',
  encodedTraversal: '..%2F..%2F..%2Fetc%2Fpasswd',
} as const;

/** Overlong UTF-8 for "/" (0xC0 0xAF) inside a JSON string: not valid UTF-8. */
export function overlongUtf8Json(prefix: string, suffix: string): Buffer {
  return Buffer.concat([Buffer.from(prefix), Buffer.from([0xc0, 0xaf]), Buffer.from(suffix)]);
}
