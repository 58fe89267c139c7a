// Reads the body of `POST /v2/images` into a new image's attributes and extra properties,
// with Glance's defaults (visibility `shared`, not protected, no formats yet).
import { z } from 'zod';
import { DomainError } from '../decider.js';
import { assertClientMayWrite, checkAttribute, checkOwner, checkPropertyKey, checkPropertyValue, isWritableAttribute } from './attributes.js';
import type { WritableAttributes } from './attributes.js';
import { IMAGE_LIMITS } from './vocabulary.js';

export interface ImageCreation {
  /** Chosen by the client, or absent for a fresh one. */
  id?: string;
  /** Asked-for owner project; policy decides whether the caller may create for it. */
  owner?: string;
  attributes: WritableAttributes;
  properties: Record<string, string>;
}

export const DEFAULT_ATTRIBUTES: Readonly<WritableAttributes> = {
  name: null,
  visibility: 'shared',
  protected: false,
  os_hidden: false,
  container_format: null,
  disk_format: null,
  min_ram: 0,
  min_disk: 0,
  tags: [],
};

const clientId = z.uuid();

export function parseImageCreation(body: Readonly<Record<string, unknown>>): ImageCreation {
  const creation: ImageCreation = { attributes: { ...DEFAULT_ATTRIBUTES, tags: [] }, properties: {} };
  for (const [key, value] of Object.entries(body)) {
    if (key === 'id') {
      const parsed = clientId.safeParse(value);
      if (!parsed.success) throw new DomainError('invalid', `Invalid value for 'id': ${JSON.stringify(value)} is not a valid UUID.`);
      creation.id = parsed.data.toLowerCase();
    } else if (key === 'owner' && value !== null) {
      creation.owner = checkOwner(value);
    } else if (isWritableAttribute(key)) {
      Object.assign(creation.attributes, { [key]: checkAttribute(key, value) });
    } else {
      assertClientMayWrite(key);
      checkPropertyKey(key);
      creation.properties[key] = checkPropertyValue(key, value);
    }
  }
  if (Object.keys(creation.properties).length > IMAGE_LIMITS.properties) {
    throw new DomainError('too_large', `Maximum number of properties exceeded (${IMAGE_LIMITS.properties})`);
  }
  return creation;
}
