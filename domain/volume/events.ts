// A volume's events (Cinder's volume), on stream `volume-<id>`. The API records the
// request; the storage node records what it did with the volume's file and exports.
import { z } from 'zod';
import { imageSnapshotSchema } from '../compute/instance.js';

/** Cinder caps a volume at the database's INT maximum; strata at what one sparse file on a node sensibly holds. */
export const MAX_VOLUME_GB = 16 * 1024;

export const volumeRequestSchema = z.object({
  volumeId: z.uuid(),
  projectId: z.string(),
  userId: z.string(),
  name: z.string().max(255).nullable(),
  description: z.string().max(65535).nullable(),
  sizeGb: z.number().int().min(1).max(MAX_VOLUME_GB),
  availabilityZone: z.string().min(1),
  /** The storage node that holds the volume's file and exports it. */
  node: z.string().min(1),
  metadata: z.record(z.string(), z.string()),
  createdAt: z.string(),
  /** The image whose data the volume starts with (bootable); absent for a blank volume. */
  image: imageSnapshotSchema.nullish(),
});
export type VolumeRequest = z.infer<typeof volumeRequestSchema>;

/**
 * One host's access to the volume over iSCSI. The CHAP secret is not here: the event log
 * is read by auditors and projections; the node keeps it in a 0600 file beside the volume.
 */
export const volumeExportSchema = z.object({
  initiatorName: z.string().min(1),
  iqn: z.string().min(1),
  lun: z.number().int().min(0),
  portal: z.string().min(1),
  chapUser: z.string().min(1),
});
export type VolumeExport = z.infer<typeof volumeExportSchema>;

export const volumeAttachmentSchema = z.object({
  attachmentId: z.uuid(),
  instanceId: z.uuid(),
  host: z.string().min(1),
  /** vdc…: the device name the instance sees. */
  device: z.string().min(1),
});
export type VolumeAttachment = z.infer<typeof volumeAttachmentSchema>;

export const volumeEventSchemas = {
  'VolumeRequested.v1': volumeRequestSchema,
  /** The node made the volume's file; the volume is available. */
  'VolumeCreated.v1': z.object({ node: z.string().min(1) }),
  'VolumeCreationFailed.v1': z.object({ message: z.string().max(4096) }),
  'VolumeExported.v1': volumeExportSchema,
  'VolumeUnexported.v1': z.object({ initiatorName: z.string().min(1) }),
  /** An attach was reserved (attaching); completed by VolumeAttached or undone by VolumeAttachAborted. */
  'VolumeAttaching.v1': volumeAttachmentSchema,
  'VolumeAttached.v1': z.object({ attachmentId: z.uuid() }),
  'VolumeAttachAborted.v1': z.object({ attachmentId: z.uuid() }),
  'VolumeDetaching.v1': z.object({ attachmentId: z.uuid() }),
  'VolumeDetached.v1': z.object({ attachmentId: z.uuid() }),
  /** The host could not release the volume (the guest kept it): in-use again. */
  'VolumeDetachAborted.v1': z.object({ attachmentId: z.uuid(), message: z.string().max(4096) }),
  'VolumeDeleting.v1': z.object({ requestedAt: z.string() }),
  'VolumeDeleted.v1': z.object({}),
  'VolumeDeletionFailed.v1': z.object({ message: z.string().max(4096) }),
} as const;

type Schemas = typeof volumeEventSchemas;
export type VolumeEvent = { [Type in keyof Schemas]: { type: Type; data: z.infer<Schemas[Type]> } }[keyof Schemas];
export type VolumeEventOf<Type extends VolumeEvent['type']> = Extract<VolumeEvent, { type: Type }>;

export function volumeStream(volumeId: string): string {
  return `volume-${volumeId}`;
}

