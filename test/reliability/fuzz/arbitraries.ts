// Requests generated from an OpenAPI operation: valid-shaped values drawn from each JSON
// schema (types, enums, lengths, bounds, required and additional properties), then some of
// them mutated (a field dropped or replaced by arbitrary JSON, a wrong media type,
// malformed JSON), and path parameters drawn from real ids as often as from hostile text.
import fc from 'fast-check';
import type { JsonSchema, Operation } from './openapi.js';

export interface FuzzRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  payload?: string | Buffer;
}

const hostileText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom('', ' ', '..', '../../etc/passwd', '%2e%2e%2f', 'a\u0000b', '\u202e', '\ud800', 'null', '-1', '1e309', 'x'.repeat(300), 'ünïcödé', '"', '{}'),
);

function stringOf(schema: JsonSchema): fc.Arbitrary<string> {
  if (Array.isArray(schema.enum)) return fc.constantFrom(...(schema.enum as string[]));
  if (schema.format === 'uuid') return fc.uuid();
  const minLength = typeof schema.minLength === 'number' ? schema.minLength : 0;
  const maxLength = Math.min(typeof schema.maxLength === 'number' ? schema.maxLength : 40, minLength + 40);
  if (typeof schema.pattern === 'string') {
    try {
      return fc.stringMatching(new RegExp(schema.pattern, 'u')).filter((value) => value.length >= minLength && value.length <= maxLength);
    } catch {
      // A pattern fast-check cannot generate from (lookbehind): fall through to plain text.
    }
  }
  return fc.string({ minLength, maxLength });
}

function numberOf(schema: JsonSchema, integer: boolean): fc.Arbitrary<number> {
  const min = typeof schema.minimum === 'number' ? schema.minimum : -1_000_000;
  const max = typeof schema.maximum === 'number' ? schema.maximum : 1_000_000;
  return integer ? fc.integer({ min: Math.max(min, Number.MIN_SAFE_INTEGER), max: Math.min(max, Number.MAX_SAFE_INTEGER) }) : fc.double({ min, max, noNaN: true });
}

/** Property names that hold a reference to another resource: offered real ids too. */
const REFERENCE = /(^id$|_id$|Id$|Ref$|^member$)/;

/** A value valid against `schema` as far as its shape goes (patterns are best effort); references may be `ids`. */
export function valueOf(schema: JsonSchema | boolean, depth = 0, ids: string[] = []): fc.Arbitrary<unknown> {
  // `true` (anything goes) and `false` (nothing does) are schemas too.
  if (typeof schema !== 'object' || schema === null) return fc.jsonValue({ maxDepth: 1 });
  const variants = (schema.anyOf ?? schema.oneOf) as JsonSchema[] | undefined;
  if (variants && variants.length > 0) return fc.oneof(...variants.map((variant) => valueOf(variant, depth, ids)));
  if ('const' in schema) return fc.constant(schema.const);
  const nullable = schema.nullable === true ? (arbitrary: fc.Arbitrary<unknown>) => fc.option(arbitrary, { nil: null }) : (arbitrary: fc.Arbitrary<unknown>) => arbitrary;
  switch (schema.type) {
    case 'string':
      return nullable(stringOf(schema));
    case 'integer':
    case 'number':
      return nullable(numberOf(schema, schema.type === 'integer'));
    case 'boolean':
      return nullable(fc.boolean());
    case 'null':
      return fc.constant(null);
    case 'array': {
      const items = (schema.items as JsonSchema | undefined) ?? {};
      const maxLength = Math.min(typeof schema.maxItems === 'number' ? schema.maxItems : 4, 4);
      return nullable(fc.array(depth > 4 ? fc.constant(null) : valueOf(items, depth + 1, ids), { minLength: Math.min(typeof schema.minItems === 'number' ? schema.minItems : 0, maxLength), maxLength }));
    }
    case 'object': {
      const properties = (schema.properties as Record<string, JsonSchema> | undefined) ?? {};
      const required = new Set((schema.required as string[] | undefined) ?? []);
      const property = (key: string, inner: JsonSchema) => {
        if (depth > 4) return fc.constant(null);
        const value = valueOf(inner, depth + 1, ids);
        return REFERENCE.test(key) && ids.length > 0 ? fc.oneof(value, fc.constantFrom(...ids)) : value;
      };
      const known = fc.record(Object.fromEntries(Object.entries(properties).map(([key, inner]) => [key, property(key, inner)])), {
        requiredKeys: [...required].filter((key) => key in properties),
      });
      const extra = schema.additionalProperties;
      if (extra && typeof extra === 'object') {
        return nullable(fc.tuple(known, fc.dictionary(fc.string({ minLength: 1, maxLength: 12 }), valueOf(extra as JsonSchema, depth + 1, ids), { maxKeys: 3 })).map(([own, more]) => ({ ...more, ...own })));
      }
      return nullable(known);
    }
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

/** `value` with one field, chosen by `pick`, dropped or replaced by `replacement`. */
function mutated(value: unknown, pick: number, replacement: unknown, drop: boolean): unknown {
  if (value === null || typeof value !== 'object') return replacement;
  const entries = Object.entries(value);
  if (entries.length === 0) return drop ? replacement : { ...value, [String(pick)]: replacement };
  const [key, inner] = entries[pick % entries.length]!;
  const copy: Record<string, unknown> | unknown[] = Array.isArray(value) ? [...(value as unknown[])] : { ...(value as Record<string, unknown>) };
  if (drop && pick % 3 === 0) {
    if (Array.isArray(copy)) copy.splice(Number(key), 1);
    else delete copy[key];
    return copy;
  }
  (copy as Record<string, unknown>)[key] = pick % 2 === 0 ? replacement : mutated(inner, Math.floor(pick / 2), replacement, drop);
  return copy;
}

function bodyOf(operation: Operation, ids: string[]): fc.Arbitrary<{ payload?: string | Buffer; contentType?: string }> {
  const documented = operation.body;
  if (!documented) {
    // Routes without a JSON body (uploads, actions): nothing, bytes, or JSON they do not expect.
    return fc.oneof(
      fc.constant({}),
      fc.uint8Array({ maxLength: 64 }).map((bytes) => ({ payload: Buffer.from(bytes), contentType: 'application/octet-stream' })),
      fc.jsonValue({ maxDepth: 2 }).map((value) => ({ payload: JSON.stringify(value), contentType: 'application/json' })),
    );
  }
  const valid = valueOf(documented.schema, 0, ids);
  const mediaType = fc.constantFrom(...documented.mediaTypes);
  return fc.oneof(
    { weight: 4, arbitrary: fc.tuple(valid, mediaType).map(([value, contentType]) => ({ payload: JSON.stringify(value), contentType })) },
    {
      weight: 3,
      arbitrary: fc.tuple(valid, fc.nat(), fc.jsonValue({ maxDepth: 2 }), fc.boolean(), mediaType).map(([value, pick, replacement, drop, contentType]) => ({ payload: JSON.stringify(mutated(value, pick, replacement, drop)), contentType })),
    },
    { weight: 1, arbitrary: fc.tuple(fc.string({ maxLength: 30 }), mediaType).map(([text, contentType]) => ({ payload: `{${text}`, contentType })) },
    { weight: 1, arbitrary: fc.tuple(valid, fc.constantFrom('text/plain', 'application/xml', 'application/x-www-form-urlencoded', 'application/json-patch+json')).map(([value, contentType]) => ({ payload: JSON.stringify(value), contentType })) },
  );
}

/** A path segment as a client would send it: a URL cannot carry an unpaired surrogate, so it becomes U+FFFD. */
function percentEncoded(value: string): string {
  return encodeURIComponent(value.replace(/\p{Cs}/gu, '\ufffd'));
}

/** Requests for `operation`, path parameters drawn from `ids` (real resources) or hostile text. */
export function requestsFor(operation: Operation, ids: string[], token: fc.Arbitrary<string | null>): fc.Arbitrary<FuzzRequest> {
  const pathParameters = operation.parameters.filter((parameter) => parameter.in === 'path');
  const optional = operation.parameters.filter((parameter) => parameter.in !== 'path');
  const pathValue = fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...ids) }, { weight: 1, arbitrary: fc.uuid() }, { weight: 1, arbitrary: hostileText });
  const optionalValue = (schema: JsonSchema) => fc.option(fc.oneof({ weight: 3, arbitrary: valueOf(schema).map(String) }, { weight: 1, arbitrary: hostileText }), { nil: undefined });
  return fc
    .record({
      path: fc.tuple(...pathParameters.map(() => pathValue)),
      others: fc.tuple(...optional.map((parameter) => optionalValue(parameter.schema))),
      body: bodyOf(operation, ids),
      token,
    })
    .map(({ path, others, body, token: value }) => {
      let url = operation.path;
      pathParameters.forEach((parameter, index) => (url = url.replace(`{${parameter.name}}`, percentEncoded(path[index]!))));
      const query = new URLSearchParams();
      const headers: Record<string, string> = {};
      optional.forEach((parameter, index) => {
        const given = others[index];
        if (given === undefined) return;
        if (parameter.in === 'query') query.append(parameter.name, given);
        else headers[parameter.name] = given.replace(/[^\x20-\x7e]/g, '?');
      });
      if (value !== null) headers['x-auth-token'] = value;
      if (body.contentType) headers['content-type'] = body.contentType;
      const search = query.toString();
      return { method: operation.method, url: search ? `${url}?${search}` : url, headers, ...(body.payload === undefined ? {} : { payload: body.payload }) };
    });
}
