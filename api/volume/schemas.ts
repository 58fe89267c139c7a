// The create body Cinder v3.0 accepts, and the checks Cinder makes on it, in its words:
// size a whole number of GB (an integer or a string of digits) from 1 up; volumes made
// from snapshots, other volumes or backups are not offered yet (images are: volume-image.ts).
import { z } from 'zod';
import { DomainError } from '../../domain/decider.js';
import { MAX_VOLUME_GB } from '../../domain/volume/events.js';

/** Cinder's upper bound for `size` (the database's INT). */
const DB_MAX_INT = 2147483647;

export const volumeCreateBody = z.object({
  volume: z
    .object({
      size: z.union([z.number(), z.string()]).optional(),
      name: z.string().max(255).nullable().optional(),
      description: z.string().max(65535).nullable().optional(),
      display_name: z.string().max(255).nullable().optional(),
      display_description: z.string().max(65535).nullable().optional(),
      availability_zone: z.string().max(255).nullable().optional(),
      metadata: z.record(z.string().max(255), z.string().max(255)).nullable().optional(),
      volume_type: z.string().nullable().optional(),
      snapshot_id: z.string().nullable().optional(),
      source_volid: z.string().nullable().optional(),
      imageRef: z.string().nullable().optional(),
      backup_id: z.string().nullable().optional(),
      multiattach: z.boolean().nullable().optional(),
      consistencygroup_id: z.string().nullable().optional(),
    })
    .loose(),
});
export type VolumeCreateBody = z.infer<typeof volumeCreateBody>['volume'];

function invalidSize(value: unknown, why: string): DomainError {
  return new DomainError('invalid', `Invalid input for field/attribute size. Value: ${String(value)}. ${why}`);
}

export function volumeSizeOf(size: number | string | undefined): number {
  if (size === undefined) throw new DomainError('invalid', "Invalid input for field/attribute volume. Value: size. 'size' is a required property");
  const value = typeof size === 'string' && /^-?[0-9]+$/.test(size.trim()) ? Number(size.trim()) : size;
  if (typeof value !== 'number' || !Number.isInteger(value)) throw invalidSize(size, `${JSON.stringify(size)} is not of type 'integer', 'string'`);
  if (value < 1) throw invalidSize(size, `${value} is less than the minimum of 1`);
  if (value > DB_MAX_INT) throw invalidSize(size, `${value} is greater than the maximum of ${DB_MAX_INT}`);
  if (value > MAX_VOLUME_GB) throw new DomainError('invalid', `Invalid input received: a volume of ${value} GB is larger than the ${MAX_VOLUME_GB} GB a storage node holds.`);
  return value;
}

/** Creating from a source is the next step's work: say so rather than make an empty volume. */
export function refuseUnsupportedSources(body: VolumeCreateBody): void {
  for (const field of ['snapshot_id', 'source_volid', 'backup_id', 'consistencygroup_id'] as const) {
    if (body[field] != null) throw new DomainError('invalid', `Invalid input received: creating a volume from ${field} is not supported by strata.`);
  }
  if (body.multiattach === true) throw new DomainError('invalid', 'Invalid input received: multiattach volumes are not supported by strata.');
  if (body.volume_type != null && body.volume_type !== '__DEFAULT__') throw new DomainError('not_found', `Volume type with name ${body.volume_type} could not be found.`);
}
