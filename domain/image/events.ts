// Image events (Glance v2). Each image has its own stream, `image-<id>`; members live in
// it too, so a share and the image it shares change atomically. Times come from the
// event metadata, never from here: the decider stays pure.
import { z } from 'zod';
import { projectIdSchema as projectId, writableAttributeSchemas as attributes } from './attributes.js';
import { IMPORT_METHODS, MEMBER_STATUSES } from './vocabulary.js';

const imageId = z.uuid();
const properties = z.record(z.string(), z.string());

/** Bytes the image store holds: `location` is the store's own file name, never user input. */
const storedData = z.object({
  location: z.string().regex(/^[0-9a-f-]{36}$/),
  size: z.number().int().min(0),
  checksum: z.string().regex(/^[0-9a-f]{32}$/),
  osHashAlgo: z.literal('sha512'),
  osHashValue: z.string().regex(/^[0-9a-f]{128}$/),
});

export const imageEventSchemas = {
  'ImageCreated.v1': z.object({ imageId, owner: projectId, ...attributes, properties }),
  'ImageUpdated.v1': z.object({
    imageId,
    attributes: z.object(attributes).partial(),
    setProperties: properties,
    removedProperties: z.array(z.string()),
  }),
  /** An admin moved the image to another project (a JSON-patch of `owner`). */
  'ImageOwnerChanged.v1': z.object({ imageId, owner: projectId, previousOwner: projectId }),
  'ImageUploadStarted.v1': z.object({ imageId }),
  'ImageStagingStarted.v1': z.object({ imageId }),
  'ImageStaged.v1': z.object({ imageId, staged: storedData }),
  'ImageImportStarted.v1': z.object({ imageId, method: z.enum(IMPORT_METHODS), uri: z.string().nullable(), workflowId: z.string() }),
  'ImageActivated.v1': z.object({ imageId, data: storedData.extend({ virtualSize: z.number().int().min(0).nullable() }) }),
  'ImageUploadFailed.v1': z.object({ imageId, reason: z.string().max(1024) }),
  'ImageDeactivated.v1': z.object({ imageId }),
  'ImageReactivated.v1': z.object({ imageId }),
  'ImageDeleted.v1': z.object({ imageId }),
  'ImageMemberAdded.v1': z.object({ imageId, memberId: projectId }),
  'ImageMemberStatusChanged.v1': z.object({ imageId, memberId: projectId, status: z.enum(MEMBER_STATUSES) }),
  'ImageMemberRemoved.v1': z.object({ imageId, memberId: projectId }),
} as const;

type Schemas = typeof imageEventSchemas;
export type ImageEventType = keyof Schemas;
export type ImageEvent = { [Type in ImageEventType]: { type: Type; data: z.infer<Schemas[Type]> } }[ImageEventType];
export type ImageEventData<Type extends ImageEventType> = z.infer<Schemas[Type]>;
export type StoredData = z.infer<typeof storedData>;
export type ActiveData = ImageEventData<'ImageActivated.v1'>['data'];

export function imageStream(imageId: string): string {
  return `image-${imageId}`;
}
