// Response schemas for the OpenAPI document (and the fuzzer that checks answers against
// it). Each names the envelope clients parse and the fields they look up by; every other
// key passes through untouched (loose objects): the zod serializer drops unknown keys, and
// Glance images carry any extra property their owners set.
import { z } from 'zod';

/** An object with at least `fields`; other keys pass through. */
export const shape = <Fields extends z.ZodRawShape>(fields: Fields) => z.looseObject(fields);

/** `{ key: {…} }`, e.g. `{"image": {…}}`. */
export function one<Key extends string, Fields extends z.ZodRawShape>(key: Key, fields: Fields) {
  return z.looseObject({ [key]: shape(fields) } as Record<Key, z.ZodObject<Fields, z.core.$loose>>);
}

/** `{ key: [{…}, …] }`, e.g. `{"servers": […]}`. */
export function many<Key extends string, Fields extends z.ZodRawShape>(key: Key, fields: Fields) {
  return z.looseObject({ [key]: z.array(shape(fields)) } as Record<Key, z.ZodArray<z.ZodObject<Fields, z.core.$loose>>>);
}

/**
 * A success (or a refusal a route answers itself) with no body: 204, or a 202 that only
 * accepts. Documented as `null` (no content in OpenAPI); typed as `undefined` so a route
 * can `reply.status(204).send()` — the serializer never runs on an empty body.
 */
export const noContent = z.null().describe('No content') as unknown as z.ZodType<undefined>;

/**
 * A body sent as it is (a stream or a file, never serialized), in the media type the
 * route `produces`; typed loosely so the handler may send the stream.
 */
export const rawBody = (description: string) => z.string().describe(description) as unknown as z.ZodType<unknown>;

/** Image data, streamed. */
export const binaryData = rawBody('The data, as application/octet-stream');

/** The fields every listed or shown resource has. */
export const identified = { id: z.string() };
export const named = { id: z.string(), name: z.string() };
