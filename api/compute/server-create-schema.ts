// The body of `POST /servers`, as Nova's servers schema accepts it (additionalProperties
// false), and the checks that depend on the microversion or on what strata implements.
// Fields Nova knows but strata cannot honour are accepted by shape only so the answer can
// name them, rather than calling them unknown.
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { DomainError } from '../../domain/decider.js';
import { novaName } from './flavor-schemas.js';
import { blockDeviceMappingV2 } from './server-create-volumes.js';

/** Nova's quota on metadata items per server. */
export const MAX_METADATA_ITEMS = 128;

const count = z.union([z.number().int().min(1), z.string().regex(/^[0-9]+$/, 'must be a whole number')]).transform(Number);

const requestedNetwork = z
  .object({ uuid: z.guid().optional(), port: z.guid().optional(), fixed_ip: z.string().optional(), tag: z.string().max(60).optional() })
  .strict();

const metadata = z.record(
  z.string().regex(/^[a-zA-Z0-9-_:. ]{1,255}$/, 'metadata keys are 1-255 of letters, digits and "-_:. "'),
  z.string().max(255),
);

/** Nova server fields strata does not implement; each is refused by name. */
export const UNSUPPORTED_SERVER_FIELDS = [
  'user_data',
  'key_name',
  'personality',
  'block_device_mapping',
  'description',
  'tags',
  'accessIPv4',
  'accessIPv6',
  'return_reservation_id',
  'trusted_image_certificates',
  'host',
  'hypervisor_hostname',
  'hostname',
] as const;
type UnsupportedField = (typeof UNSUPPORTED_SERVER_FIELDS)[number];
const unsupportedFields = Object.fromEntries(UNSUPPORTED_SERVER_FIELDS.map((field) => [field, z.unknown().optional()])) as Record<UnsupportedField, z.ZodOptional<z.ZodUnknown>>;

/** strata's scheduler reads the `group` hint; others pass, as Nova passes hints no enabled filter reads. */
const hints = z.object({ group: z.guid().optional() }).loose();

export const serverCreateBody = z
  .object({
    server: z
      .object({
        name: novaName,
        imageRef: z.union([z.guid(), z.literal('')]),
        flavorRef: z.union([z.string().min(1).max(255), z.number().int().min(0)]),
        networks: z.union([z.literal('auto'), z.literal('none'), z.array(requestedNetwork)]).optional(),
        availability_zone: z.string().min(1).max(255).optional(),
        metadata: metadata.optional(),
        min_count: count.optional(),
        max_count: count.optional(),
        security_groups: z.array(z.object({ name: z.string().min(1).max(255) }).strict()).optional(),
        adminPass: z.string().max(255).optional(),
        'OS-DCF:diskConfig': z.enum(['AUTO', 'MANUAL']).optional(),
        config_drive: z.union([z.boolean(), z.string()]).optional(),
        block_device_mapping_v2: blockDeviceMappingV2.optional(),
        ...unsupportedFields,
      })
      .strict(),
    'os:scheduler_hints': hints.optional(),
    'OS-SCH-HNT:scheduler_hints': hints.optional(),
  })
  .strict();
export type ServerCreateBody = z.infer<typeof serverCreateBody>;
type ServerFields = ServerCreateBody['server'];

function invalid(message: string): DomainError {
  return new DomainError('invalid', message);
}

/** Checks Nova makes beyond the JSON schema, and refusals of what strata does not do. */
export function checkServerCreate(server: ServerFields, request: FastifyRequest): void {
  const present = UNSUPPORTED_SERVER_FIELDS.filter((field) => server[field] !== undefined);
  if (present.length > 0) throw invalid(`strata does not support ${present.map((field) => `'${field}'`).join(', ')} in a server create.`);
  const { networks } = server;
  const modern = request.microversion.atLeast('2.37');
  if (modern && networks === undefined) throw invalid("Invalid input for field/attribute server. 'networks' is a required property");
  if (!modern && typeof networks === 'string') throw invalid(`Invalid input for field/attribute networks. Value: ${networks}. '${networks}' is not of type 'array'`);
  const network = Array.isArray(networks) ? networks[0] : undefined;
  if (network) throw invalid(network.port ? `Port ${network.port} could not be found.` : `Network ${network.uuid ?? '(none)'} could not be found.`);
  const bootsFromVolume = (server.block_device_mapping_v2 ?? []).some((mapping) => Number(mapping.boot_index ?? -1) === 0 && (mapping.source_type ?? 'volume') === 'volume');
  if (server.imageRef === '' && !bootsFromVolume) throw invalid('imageRef is required unless a block_device_mapping_v2 entry with boot_index 0 boots the server from a volume.');
  if ((server.min_count ?? 1) !== 1 || (server.max_count ?? 1) !== 1) {
    throw invalid('strata creates one server per request: min_count and max_count must be 1.');
  }
  const unknownGroup = (server.security_groups ?? []).find((group) => group.name !== 'default');
  if (unknownGroup) throw invalid(`Unable to find security_group with name or id '${unknownGroup.name}'`);
  if (server.config_drive === true || (typeof server.config_drive === 'string' && !['', 'false', '0'].includes(server.config_drive.toLowerCase()))) {
    throw invalid('strata does not build config drives.');
  }
  if (Object.keys(server.metadata ?? {}).length > MAX_METADATA_ITEMS) {
    throw new DomainError('forbidden', `Quota exceeded for metadata items: Maximum number of metadata items exceeds ${MAX_METADATA_ITEMS}`);
  }
}

/** Nova takes the id from the end of a flavor URL, or the reference itself. */
export function flavorIdOf(flavorRef: string | number): string {
  const text = String(flavorRef);
  return text.split('?')[0]?.split('/').filter(Boolean).at(-1) ?? text;
}
