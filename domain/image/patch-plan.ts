// Applies JSON-patch operations to an image's writable attributes and extra properties,
// in order, with Glance's rules for each (read-only keys 403, a missing property 409, …),
// and says which extra properties the patch creates, updates or deletes, for property
// protections to judge. `owner` moves the image to another project, for an admin only.
import { DomainError } from '../decider.js';
import { assertClientMayWrite, checkAttribute, checkOwner, checkPropertyKey, checkPropertyValue, isWritableAttribute } from './attributes.js';
import type { WritableAttributes } from './attributes.js';
import type { ImageChanges } from './image.js';
import type { PatchDialect, PatchOperation } from './json-patch.js';

export type PropertyAction = 'create' | 'update' | 'delete';

export interface PatchPlan {
  changes: ImageChanges;
  /** The project the image moves to, when the patch gives it another owner. */
  owner?: string;
  propertyActions: Array<{ key: string; action: PropertyAction }>;
}

export interface PatchableImage {
  owner: string;
  attributes: WritableAttributes;
  properties: Readonly<Record<string, string>>;
}

function applyToProperty(properties: Record<string, string>, operation: PatchOperation, dialect: PatchDialect): void {
  const { op, key } = operation;
  checkPropertyKey(key);
  const present = Object.hasOwn(properties, key);
  if (op === 'remove' || op === 'replace') {
    if (!present) throw new DomainError('conflict', `Property ${key} does not exist.`);
    if (op === 'remove') {
      delete properties[key];
      return;
    }
  }
  if (op === 'add' && present && dialect === 'v2.0') throw new DomainError('conflict', `Property ${key} already present.`);
  properties[key] = checkPropertyValue(key, operation.value);
}

function sameValue(left: unknown, right: unknown): boolean {
  return JSON.stringify(left) === JSON.stringify(right);
}

/** `callerIsAdmin`: whether the caller may give the image another owner (as Glance: admins only). */
export function planPatch(image: PatchableImage, operations: readonly PatchOperation[], dialect: PatchDialect, callerIsAdmin: boolean): PatchPlan {
  const attributes: Record<string, unknown> = { ...image.attributes };
  const properties: Record<string, string> = { ...image.properties };
  let owner = image.owner;
  for (const operation of operations) {
    if (operation.key === 'owner' && operation.op !== 'remove') {
      if (!callerIsAdmin) throw new DomainError('forbidden', "Owner can't be updated by non admin.");
      owner = checkOwner(operation.value);
      continue;
    }
    assertClientMayWrite(operation.key);
    if (!isWritableAttribute(operation.key)) {
      applyToProperty(properties, operation, dialect);
      continue;
    }
    if (operation.op === 'remove') throw new DomainError('forbidden', `Unable to remove base attribute '${operation.key}'.`);
    attributes[operation.key] = checkAttribute(operation.key, operation.value);
  }
  const changedAttributes = Object.fromEntries(
    Object.entries(attributes).filter(([key, value]) => !sameValue(value, image.attributes[key as keyof WritableAttributes])),
  ) as Partial<WritableAttributes>;
  const setProperties = Object.fromEntries(Object.entries(properties).filter(([key, value]) => image.properties[key] !== value));
  const removedProperties = Object.keys(image.properties).filter((key) => !Object.hasOwn(properties, key));
  return {
    changes: { attributes: changedAttributes, setProperties, removedProperties },
    ...(owner === image.owner ? {} : { owner }),
    propertyActions: [
      ...Object.keys(setProperties).map((key) => ({ key, action: Object.hasOwn(image.properties, key) ? ('update' as const) : ('create' as const) })),
      ...removedProperties.map((key) => ({ key, action: 'delete' as const })),
    ],
  };
}
