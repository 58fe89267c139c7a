// Applies JSON-patch operations to an image's writable attributes and extra properties,
// in order, with Glance's rules for each (read-only keys 403, a missing property 409, …),
// and says which extra properties the patch creates, updates or deletes, for property
// protections to judge.
import { DomainError } from '../decider.js';
import { assertClientMayWrite, checkAttribute, checkPropertyKey, checkPropertyValue, isWritableAttribute } from './attributes.js';
import type { WritableAttributes } from './attributes.js';
import type { ImageChanges } from './image.js';
import type { PatchDialect, PatchOperation } from './json-patch.js';

export type PropertyAction = 'create' | 'update' | 'delete';

export interface PatchPlan {
  changes: ImageChanges;
  propertyActions: Array<{ key: string; action: PropertyAction }>;
}

export interface PatchableImage {
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

export function planPatch(image: PatchableImage, operations: readonly PatchOperation[], dialect: PatchDialect): PatchPlan {
  const attributes: Record<string, unknown> = { ...image.attributes };
  const properties: Record<string, string> = { ...image.properties };
  for (const operation of operations) {
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
    propertyActions: [
      ...Object.keys(setProperties).map((key) => ({ key, action: Object.hasOwn(image.properties, key) ? ('update' as const) : ('create' as const) })),
      ...removedProperties.map((key) => ({ key, action: 'delete' as const })),
    ],
  };
}
