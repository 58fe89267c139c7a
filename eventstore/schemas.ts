// Which event types exist and what their data must look like. Every adapter checks a
// whole batch here before it writes anything, so a bad event never reaches the log.
import type { z } from 'zod';
import { quickMetadata } from './metadata-check.js';
import { eventMetadataSchema, InvalidEventError } from './port.js';
import type { NewEvent } from './port.js';
import { reuseForSameKey } from './reuse-for-same-key.js';

/** `InstanceBooted.v1`: the version lives in the name, so old events keep their old schema. */
const versionedTypeName = /^[A-Z][A-Za-z0-9]*\.v[1-9][0-9]*$/;

/** KurrentDB insists on UUIDs for event ids; holding every adapter to that keeps them swappable. */
const uuidShape = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export class EventSchemaRegistry {
  private readonly schemas = new Map<string, z.ZodType>();

  constructor(schemas: Record<string, z.ZodType> = {}) {
    for (const [type, schema] of Object.entries(schemas)) this.register(type, schema);
  }

  register(type: string, schema: z.ZodType): this {
    if (!versionedTypeName.test(type)) {
      throw new TypeError(`event type ${JSON.stringify(type)} is not a versioned name like InstanceBooted.v1`);
    }
    if (this.schemas.has(type)) throw new TypeError(`event type ${type} is registered twice`);
    this.schemas.set(type, schema);
    return this;
  }

  types(): string[] {
    return [...this.schemas.keys()];
  }

  /**
   * Returns the batch as it will be stored (data and metadata as their schemas parse them),
   * or throws InvalidEventError for the first event that is not acceptable.
   */
  validateBatch(events: readonly NewEvent[]): NewEvent[] {
    const seenIds = new Set<string>();
    // Events sharing one envelope share its parsed copy (which lets the adapter canonicalise it once too).
    const metadataOf = reuseForSameKey((event: NewEvent) => event.metadata, parseMetadata);
    return events.map((event) => {
      if (typeof event.id !== 'string' || !uuidShape.test(event.id)) {
        throw new InvalidEventError(String(event.type), `id ${JSON.stringify(event.id)} is not a UUID`);
      }
      const id = event.id.toLowerCase();
      if (seenIds.has(id)) throw new InvalidEventError(event.type, `id ${id} appears twice in one append`);
      seenIds.add(id);
      return { id, type: event.type, data: this.parseData(event), metadata: metadataOf(event) };
    });
  }

  private parseData(event: NewEvent): unknown {
    const schema = this.schemas.get(event.type);
    if (!schema) throw new InvalidEventError(String(event.type), 'unknown event type');
    const parsed = schema.safeParse(event.data);
    if (!parsed.success) throw new InvalidEventError(event.type, `data: ${describeIssues(parsed.error)}`);
    return parsed.data;
  }
}

function parseMetadata(event: NewEvent): NewEvent['metadata'] {
  const quick = quickMetadata(event.metadata);
  if (quick) return quick;
  const parsed = eventMetadataSchema.safeParse(event.metadata);
  if (!parsed.success) throw new InvalidEventError(event.type, `metadata: ${describeIssues(parsed.error)}`);
  return parsed.data;
}

function describeIssues(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`).join('; ');
}

/** Stream names starting with `$` belong to KurrentDB itself. */
export function assertStreamName(stream: string): void {
  if (typeof stream !== 'string' || stream.length === 0 || stream.startsWith('$')) {
    throw new TypeError(`invalid stream name ${JSON.stringify(stream)}: must be non-empty and not start with "$"`);
  }
}
