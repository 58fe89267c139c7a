// Nova microversions: the client names the version it speaks in `OpenStack-API-Version:
// compute 2.x` (or the legacy `X-OpenStack-Nova-API-Version: 2.x`); no header means 2.1.
// Every response echoes the version it was shaped for, so caches and clients know.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { HttpError } from '../errors.js';

export const MIN_MICROVERSION = '2.1';
/**
 * 2.79: past the versions openstacksdk negotiates for servers (2.73) and flavors (2.61),
 * and past 2.75 (flavor swap as a number), so every field those clients ask for is shaped
 * by a branch here rather than by a version strata does not know.
 */
export const MAX_MICROVERSION = '2.79';

const NEW_HEADER = 'openstack-api-version';
const LEGACY_HEADER = 'x-openstack-nova-api-version';
const VERSION_PATTERN = /^([1-9]\d*)\.([1-9]\d*|0)$/;

export class Microversion {
  constructor(
    readonly major: number,
    readonly minor: number,
  ) {}

  static parse(text: string): Microversion | null {
    const match = VERSION_PATTERN.exec(text);
    return match ? new Microversion(Number(match[1]), Number(match[2])) : null;
  }

  /** `version` is a literal such as '2.47', or a parsed version (whose minor may be too big to print back). */
  atLeast(version: string | Microversion): boolean {
    const other = typeof version === 'string' ? Microversion.parse(version) : version;
    if (!other) throw new TypeError(`not a microversion: ${String(version)}`);
    return this.major !== other.major ? this.major > other.major : this.minor >= other.minor;
  }

  toString(): string {
    return `${this.major}.${this.minor}`;
  }
}

const minimum = Microversion.parse(MIN_MICROVERSION) as Microversion;
const maximum = Microversion.parse(MAX_MICROVERSION) as Microversion;

declare module 'fastify' {
  interface FastifyRequest {
    /** The compute microversion this request asked for; responses are shaped by it. */
    microversion: Microversion;
  }
}

function headerValues(request: FastifyRequest, name: string): string[] {
  const value = request.headers[name];
  return (Array.isArray(value) ? value : value === undefined ? [] : [value]).flatMap((line) => line.split(','));
}

/** The requested version text, from the new header's `compute` entry first, then the legacy header. */
function requestedVersion(request: FastifyRequest): string | null {
  for (const entry of headerValues(request, NEW_HEADER)) {
    const [service, version, ...rest] = entry.trim().split(/\s+/);
    if (service?.toLowerCase() === 'compute' && version !== undefined && rest.length === 0) return version;
  }
  return headerValues(request, LEGACY_HEADER)[0]?.trim() ?? null;
}

/** As Nova: a malformed version is 400, a well-formed one outside [min, max] is 406. */
export function negotiateMicroversion(requested: string | null): Microversion {
  if (requested === null) return minimum;
  if (requested.toLowerCase() === 'latest') return maximum;
  const version = Microversion.parse(requested);
  if (!version) throw new HttpError(400, `API Version String ${requested} is of invalid format. Must be of format MajorNum.MinorNum.`);
  if (!version.atLeast(MIN_MICROVERSION) || !maximum.atLeast(version)) {
    throw new HttpError(406, `Version ${requested} is not supported by the API. Minimum is ${MIN_MICROVERSION} and maximum is ${MAX_MICROVERSION}.`);
  }
  return version;
}

/** Parses the version on every request of `app`'s scope and echoes it on the response. */
export function useMicroversions(app: FastifyInstance): void {
  app.decorateRequest('microversion', null as unknown as Microversion);
  app.addHook('onRequest', async (request, reply) => {
    request.microversion = negotiateMicroversion(requestedVersion(request));
    void reply.headers({
      'OpenStack-API-Version': `compute ${request.microversion.toString()}`,
      'X-OpenStack-Nova-API-Version': request.microversion.toString(),
      Vary: 'OpenStack-API-Version, X-OpenStack-Nova-API-Version',
    });
  });
}
