// Reads a PATCH body in either of Glance's two JSON-patch media types into operations on
// one top-level key. v2.1 is RFC 6902 (`{"op","path","value"}`); v2.0 names the op as
// the key (`{"replace":"/name","value":…}`). Only add, remove and replace exist.
import { DomainError } from '../decider.js';

export const PATCH_MEDIA_TYPES = {
  'application/openstack-images-v2.1-json-patch': 'v2.1',
  'application/openstack-images-v2.0-json-patch': 'v2.0',
} as const;
export type PatchDialect = (typeof PATCH_MEDIA_TYPES)[keyof typeof PATCH_MEDIA_TYPES];

const OPERATIONS = ['add', 'remove', 'replace'] as const;
export type PatchOp = (typeof OPERATIONS)[number];

export interface PatchOperation {
  op: PatchOp;
  /** The decoded key the pointer names (`/os~1distro` → `os/distro`). */
  key: string;
  /** Absent for remove. */
  value?: unknown;
}

const invalid = (message: string) => new DomainError('invalid', message);

/** RFC 6901 decoding, restricted to one level as Glance allows (locations aside, which strata does not expose). */
export function decodePointer(pointer: string): string {
  if (!pointer.startsWith('/')) throw invalid(`Pointer \`${pointer}\` does not start with "/".`);
  if (/~(?![01])/.test(pointer)) throw invalid(`Pointer \`${pointer}\` contains "~" not part of a recognized escape sequence.`);
  if (pointer.includes('//')) throw invalid(`Pointer \`${pointer}\` contains adjacent "/".`);
  if (pointer.length > 1 && pointer.endsWith('/')) throw invalid(`Pointer \`${pointer}\` end with "/".`);
  const parts = pointer.slice(1).split('/');
  if (parts.length > 1) throw invalid('Nested paths are not allowed');
  return (parts[0] ?? '').replace(/~1/g, '/').replace(/~0/g, '~');
}

function isOp(value: unknown): value is PatchOp {
  return typeof value === 'string' && (OPERATIONS as readonly string[]).includes(value);
}

function readOperation(raw: unknown, dialect: PatchDialect): PatchOperation {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw invalid('Operations must be JSON objects.');
  const entry = raw as Record<string, unknown>;
  let op: unknown;
  let path: unknown;
  if (dialect === 'v2.1') {
    op = entry.op;
    path = entry.path;
    if (typeof op !== 'string') throw invalid('Unable to find `op` in JSON Schema change. It must be one of the following: add, remove, replace.');
  } else {
    const named = OPERATIONS.filter((name) => name in entry);
    if (named.length !== 1) throw invalid('Operation objects must contain exactly one member named "add", "remove", or "replace".');
    op = named[0];
    path = entry[named[0] as PatchOp];
  }
  if (!isOp(op)) throw invalid(`Invalid operation: \`${String(op)}\`. It must be one of the following: add, remove, replace.`);
  if (typeof path !== 'string') throw invalid(`Unable to find '${dialect === 'v2.1' ? 'path' : op}' in JSON Schema change`);
  const key = decodePointer(path);
  if (op === 'remove') return { op, key };
  if (!('value' in entry)) throw invalid(`Operation "${op}" requires a member named "value".`);
  return { op, key, value: entry.value };
}

export function parsePatch(body: unknown, dialect: PatchDialect): PatchOperation[] {
  if (!Array.isArray(body)) throw invalid('Request body must be a JSON array of operation objects.');
  return body.map((raw) => readOperation(raw, dialect));
}
