// The operations of the OpenAPI document served at /docs/json, as the fuzzer and the
// completeness test read them: method, path template, parameters, the request body's media
// types and schema, and the documented responses.
export type JsonSchema = Record<string, unknown>;

export interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header';
  required: boolean;
  schema: JsonSchema;
}

export interface Operation {
  method: string;
  /** OpenAPI path template, e.g. /image/v2/images/{imageId}. */
  path: string;
  parameters: Parameter[];
  body?: { mediaTypes: string[]; schema: JsonSchema; required: boolean };
  /** Status code → schema of the body, in its first media type (absent when the status is documented without content). */
  responses: Record<string, JsonSchema | undefined>;
}

interface RawOperation {
  parameters?: Array<{ name: string; in: string; required?: boolean; schema?: JsonSchema }>;
  requestBody?: { required?: boolean; content?: Record<string, { schema?: JsonSchema }> };
  responses?: Record<string, { content?: Record<string, { schema?: JsonSchema }> }>;
}

export interface OpenApiDocument {
  paths: Record<string, Record<string, RawOperation>>;
}

export function operationsOf(document: OpenApiDocument): Operation[] {
  return Object.entries(document.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, raw]): Operation => {
      const content = raw.requestBody?.content ?? {};
      const mediaTypes = Object.keys(content);
      return {
        method: method.toUpperCase(),
        path,
        parameters: (raw.parameters ?? [])
          .filter((parameter) => ['path', 'query', 'header'].includes(parameter.in))
          .map((parameter) => ({ name: parameter.name, in: parameter.in as Parameter['in'], required: parameter.required ?? false, schema: parameter.schema ?? {} })),
        ...(mediaTypes.length > 0 ? { body: { mediaTypes, schema: content[mediaTypes[0]!]?.schema ?? {}, required: raw.requestBody?.required ?? false } } : {}),
        responses: Object.fromEntries(Object.entries(raw.responses ?? {}).map(([status, response]) => [status, Object.values(response.content ?? {})[0]?.schema])),
      };
    }),
  );
}

/** The route-table form of an OpenAPI path template: `{id}` → `:id`. */
export function routeUrlOf(path: string): string {
  return path.replace(/\{([^}]+)\}/g, ':$1');
}
