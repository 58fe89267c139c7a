// The extra properties of a snapshot's image, as Nova gives them: the base image's own
// properties (hw_*, os_*, strata_boot_marker …: the snapshot boots like its base) minus the
// ones that describe only the base's data, then Nova's snapshot properties, then the
// caller's metadata over all of them.
import type { InstanceRequest } from '../../domain/compute/instance.js';
import { DomainError } from '../../domain/decider.js';
import { assertClientMayWrite, checkPropertyKey, checkPropertyValue, isWritableAttribute } from '../../domain/image/attributes.js';
import { IMAGE_LIMITS } from '../../domain/image/vocabulary.js';

/** Nova's NON_INHERITABLE_IMAGE_PROPERTIES, plus the snapshot's own keys (set fresh below). */
const NOT_INHERITED = new Set([
  'cache_in_nova',
  'bittorrent',
  'img_signature_hash_method',
  'img_signature',
  'img_signature_key_type',
  'img_signature_certificate_uuid',
  'instance_uuid',
  'image_type',
  'base_image_ref',
  'user_id',
  'image_location',
  'image_state',
  'owner_id',
]);

export function snapshotProperties(request: InstanceRequest, metadata: Record<string, string>): Record<string, string> {
  const inherited = Object.fromEntries(Object.entries(request.image.properties).filter(([key]) => !NOT_INHERITED.has(key)));
  for (const [key, value] of Object.entries(metadata)) {
    if (isWritableAttribute(key)) throw new DomainError('invalid', `Invalid input for field/attribute metadata: '${key}' is an image attribute, not a property.`);
    assertClientMayWrite(key);
    checkPropertyKey(key);
    checkPropertyValue(key, value);
  }
  const properties = { ...inherited, instance_uuid: request.instanceId, image_type: 'snapshot', base_image_ref: request.image.id, user_id: request.userId, ...metadata };
  if (Object.keys(properties).length > IMAGE_LIMITS.properties) throw new DomainError('too_large', `Maximum number of properties exceeded (${IMAGE_LIMITS.properties})`);
  return properties;
}
