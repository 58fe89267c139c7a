// Which keys of an image a client may write, and how each value is checked. Base
// attributes have types; any other key is an "extra property" whose value is a string.
import { z } from 'zod';
import { DomainError } from '../decider.js';
import { CONTAINER_FORMATS, DISK_FORMATS, IMAGE_LIMITS, VISIBILITIES } from './vocabulary.js';
import type { ContainerFormat, DiskFormat, Visibility } from './vocabulary.js';

/** The base attributes a client may set, in Glance's names. */
export interface WritableAttributes {
  name: string | null;
  visibility: Visibility;
  protected: boolean;
  os_hidden: boolean;
  container_format: ContainerFormat | null;
  disk_format: DiskFormat | null;
  min_ram: number;
  min_disk: number;
  tags: string[];
}

const nonNegativeInt = z.number().int().min(0).max(2 ** 31 - 1);
const tag = z.string().max(IMAGE_LIMITS.tagLength);

/** One schema per attribute; the events reuse them, so the log holds what the API accepts. */
export const writableAttributeSchemas = {
  name: z.string().max(IMAGE_LIMITS.nameLength).nullable(),
  visibility: z.enum(VISIBILITIES),
  protected: z.boolean(),
  os_hidden: z.boolean(),
  container_format: z.enum(CONTAINER_FORMATS).nullable(),
  disk_format: z.enum(DISK_FORMATS).nullable(),
  min_ram: nonNegativeInt,
  min_disk: nonNegativeInt,
  tags: z.array(tag).max(IMAGE_LIMITS.tags),
} satisfies { [Key in keyof WritableAttributes]: z.ZodType<WritableAttributes[Key]> };

/** Shown by the API, never written by a client. */
const READ_ONLY_KEYS: ReadonlySet<string> = new Set([
  'id',
  'status',
  'owner',
  'checksum',
  'os_hash_algo',
  'os_hash_value',
  'size',
  'virtual_size',
  'created_at',
  'updated_at',
]);

const RESERVED_KEYS: ReadonlySet<string> = new Set(['self', 'file', 'schema', 'direct_url', 'stores', 'location', 'locations', 'deleted', 'deleted_at']);

export function isWritableAttribute(key: string): key is keyof WritableAttributes {
  return Object.hasOwn(writableAttributeSchemas, key);
}

/** Refuses keys no client may write (403, as Glance). */
export function assertClientMayWrite(key: string): void {
  if (RESERVED_KEYS.has(key) || key.startsWith('os_glance')) throw new DomainError('forbidden', `Attribute '${key}' is reserved.`);
  if (READ_ONLY_KEYS.has(key)) throw new DomainError('forbidden', `Attribute '${key}' is read-only.`);
}

export function checkAttribute<Key extends keyof WritableAttributes>(key: Key, value: unknown): WritableAttributes[Key] {
  const parsed = (writableAttributeSchemas[key] as z.ZodType).safeParse(value);
  if (!parsed.success) {
    if (key === 'tags' && Array.isArray(value) && value.length > IMAGE_LIMITS.tags) {
      throw new DomainError('too_large', `Maximum number of tags exceeded (${IMAGE_LIMITS.tags})`);
    }
    throw new DomainError('invalid', `Invalid value for '${key}': ${parsed.error.issues[0]?.message ?? 'invalid'}`);
  }
  const checked = parsed.data as WritableAttributes[Key];
  // A tag set: repeating a tag is harmless, storing it twice is not.
  return (Array.isArray(checked) ? [...new Set(checked)] : checked) as WritableAttributes[Key];
}

/** A project id: an image's owner or member. */
export const projectIdSchema = z.string().min(1).max(255);

export function checkOwner(value: unknown): string {
  const parsed = projectIdSchema.safeParse(value);
  if (!parsed.success) throw new DomainError('invalid', "Invalid value for 'owner'.");
  return parsed.data;
}

export function checkPropertyKey(key: string): void {
  if (key.length === 0 || key.length > IMAGE_LIMITS.keyLength) throw new DomainError('invalid', `Property name must be 1 to ${IMAGE_LIMITS.keyLength} characters: '${key.slice(0, 40)}'`);
}

export function checkPropertyValue(key: string, value: unknown): string {
  if (typeof value !== 'string') throw new DomainError('invalid', `Provided object does not match schema 'image': ${JSON.stringify(value) ?? 'undefined'} is not of type 'string' (property '${key}')`);
  return value;
}
