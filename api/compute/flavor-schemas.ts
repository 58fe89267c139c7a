// What `POST /flavors` and the flavor list accept, as Nova's flavor_manage schema and
// flavors controller read them (numbers may come as digit strings; ids and names may not
// start or end with a space).
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Flavor } from '../../domain/compute/flavor.js';
import { flavorSchema } from '../../domain/compute/flavor.js';
import { DomainError } from '../../domain/decider.js';
import type { FlavorListQuery, FlavorSortKey } from '../../projections/flavor-queries.js';
import { FLAVOR_SORT_COLUMNS } from '../../projections/flavor-queries.js';
import { RXTX_FACTOR } from './flavor-views.js';
import { booleanQuery, pageLimit } from './paging.js';

/** Nova's parameter_types.name: printable, no leading or trailing whitespace. */
export const novaName = z
  .string()
  .min(1)
  .max(255)
  .regex(/^(?!\s)[^\p{Cc}]*(?<!\s)$/u, 'must be printable characters that do not start or end with whitespace');

const wholeNumber = (minimum: number) =>
  z
    .union([z.number().int(), z.string().regex(/^[0-9]+$/, 'must be a whole number')])
    .transform(Number)
    .pipe(z.number().int().min(minimum).max(2 ** 31 - 1));

const booleanLike = z.union([z.boolean(), z.string()]).transform((value, context) => {
  if (typeof value === 'boolean') return value;
  try {
    return booleanQuery('os-flavor-access:is_public', value, false);
  } catch (error) {
    context.addIssue({ code: 'custom', message: (error as Error).message });
    return z.NEVER;
  }
});

export const flavorCreateBody = z
  .object({
    flavor: z
      .object({
        name: novaName,
        id: z
          .union([z.string().min(1).max(255).regex(/^(?! )[a-zA-Z0-9. _-]+(?<! )$/, 'may hold letters, digits, ". _-" and no leading or trailing space'), z.number().int().min(0)])
          .nullish(),
        ram: wholeNumber(1),
        vcpus: wholeNumber(1),
        disk: wholeNumber(0),
        'OS-FLV-EXT-DATA:ephemeral': wholeNumber(0).optional(),
        swap: wholeNumber(0).optional(),
        rxtx_factor: z.union([z.number(), z.string().regex(/^[0-9]+(\.[0-9]+)?$/)]).transform(Number).optional(),
        'os-flavor-access:is_public': booleanLike.optional(),
        description: z.string().max(65535).nullish(),
      })
      .strict(),
  })
  .strict();
export type FlavorCreateBody = z.infer<typeof flavorCreateBody>;

/** The flavor a create asks for, or the 400 that says why it cannot be. */
export function flavorOfCreate(body: FlavorCreateBody['flavor'], request: FastifyRequest, newId: () => string): Flavor {
  if (body.description !== undefined && !request.microversion.atLeast('2.55')) {
    throw new DomainError('invalid', "Invalid input for field/attribute flavor. Additional properties are not allowed ('description' was unexpected)");
  }
  if (body.rxtx_factor !== undefined && body.rxtx_factor !== RXTX_FACTOR) {
    throw new DomainError('invalid', `rxtx_factor ${body.rxtx_factor} is not supported: strata has no network QoS, every flavor has rxtx_factor ${RXTX_FACTOR}.`);
  }
  const candidate = {
    id: body.id === undefined || body.id === null ? newId() : String(body.id),
    name: body.name,
    vcpus: body.vcpus,
    ramMb: body.ram,
    diskGb: body.disk,
    ephemeralGb: body['OS-FLV-EXT-DATA:ephemeral'] ?? 0,
    swapMb: body.swap ?? 0,
    isPublic: body['os-flavor-access:is_public'] ?? true,
    description: body.description ?? null,
  };
  // The domain's bounds are narrower than Nova's integer column: say so rather than fail on append.
  const parsed = flavorSchema.safeParse(candidate);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new DomainError('invalid', `Invalid input for field/attribute ${String(issue?.path.join('.') ?? 'flavor')}: ${issue?.message ?? 'invalid'}`);
  }
  return parsed.data;
}

export const flavorListQuerystring = z.object({
  is_public: z.string().optional(),
  minRam: z.string().optional(),
  minDisk: z.string().optional(),
  sort_key: z.string().optional(),
  sort_dir: z.string().optional(),
  limit: z.string().optional(),
  marker: z.string().optional(),
});

function minimumFilter(name: string, text: string | undefined): number | null {
  if (text === undefined) return null;
  if (!/^\d+$/.test(text)) throw new DomainError('invalid', `Invalid ${name} filter [${text}]`);
  return Number(text);
}

/** Only admins choose public/private (`is_public=none` for both); everyone else sees the public flavors. */
export function flavorListQueryOf(query: z.infer<typeof flavorListQuerystring>, isAdmin: boolean): FlavorListQuery {
  const sortKey = query.sort_key ?? 'flavorid';
  if (!(sortKey in FLAVOR_SORT_COLUMNS)) throw new DomainError('invalid', `Invalid input received: Invalid sort_key ${sortKey}`);
  const sortDir = query.sort_dir ?? 'asc';
  if (sortDir !== 'asc' && sortDir !== 'desc') throw new DomainError('invalid', `Invalid input received: Invalid sort_dir ${sortDir}`);
  let isPublic: boolean | null = true;
  if (isAdmin && query.is_public !== undefined) isPublic = query.is_public.toLowerCase() === 'none' ? null : booleanQuery('is_public', query.is_public, true);
  return {
    isPublic,
    minRamMb: minimumFilter('minRam', query.minRam),
    minDiskGb: minimumFilter('minDisk', query.minDisk),
    sortKey: sortKey as FlavorSortKey,
    sortDir,
    marker: query.marker ?? null,
    limit: pageLimit(query.limit),
  };
}
