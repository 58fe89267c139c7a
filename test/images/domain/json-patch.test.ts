// Both JSON-patch dialects, pointers, and Glance's rules for each kind of key.
import { describe, expect, it } from 'vitest';
import { DomainError } from '../../../domain/decider.js';
import { DEFAULT_ATTRIBUTES } from '../../../domain/image/creation.js';
import { decodePointer, parsePatch } from '../../../domain/image/json-patch.js';
import { planPatch } from '../../../domain/image/patch-plan.js';

function errorKind(run: () => unknown): string {
  try {
    run();
    return 'ok';
  } catch (error) {
    if (error instanceof DomainError) return error.kind;
    throw error;
  }
}

describe('parsePatch', () => {
  it('reads v2.1 and v2.0 forms into the same operations', () => {
    const v21 = parsePatch([{ op: 'replace', path: '/name', value: 'n' }, { op: 'remove', path: '/a~1b~0c' }], 'v2.1');
    const v20 = parsePatch([{ replace: '/name', value: 'n' }, { remove: '/a~1b~0c' }], 'v2.0');
    expect(v21).toEqual([{ op: 'replace', key: 'name', value: 'n' }, { op: 'remove', key: 'a/b~c' }]);
    expect(v20).toEqual(v21);
  });

  it.each([
    ['not an array', { op: 'add' }, 'v2.1'],
    ['an op that is not an object', ['add'], 'v2.1'],
    ['unknown op', [{ op: 'move', path: '/name', from: '/x' }], 'v2.1'],
    ['test op', [{ op: 'test', path: '/name', value: 'x' }], 'v2.1'],
    ['missing op', [{ path: '/name', value: 'x' }], 'v2.1'],
    ['missing path', [{ op: 'add', value: 'x' }], 'v2.1'],
    ['missing value', [{ op: 'add', path: '/x' }], 'v2.1'],
    ['path without slash', [{ op: 'add', path: 'name', value: 'x' }], 'v2.1'],
    ['nested path', [{ op: 'add', path: '/a/b', value: 'x' }], 'v2.1'],
    ['bad escape', [{ op: 'add', path: '/a~2', value: 'x' }], 'v2.1'],
    ['two ops in one v2.0 object', [{ add: '/a', replace: '/b', value: 'x' }], 'v2.0'],
    ['v2.1 object in v2.0 dialect', [{ op: 'add', path: '/a', value: 'x' }], 'v2.0'],
  ] as const)('refuses %s (400)', (_label, body, dialect) => {
    expect(errorKind(() => parsePatch(body, dialect))).toBe('invalid');
  });

  it('decodes escapes in order (~01 is "~1", not "/")', () => {
    expect(decodePointer('/~01')).toBe('~1');
  });
});

describe('planPatch', () => {
  const image = { owner: 'p1', attributes: { ...DEFAULT_ATTRIBUTES, name: 'old', tags: ['a'] }, properties: { os_distro: 'cirros', keep: 'k' } };
  const plan = (operations: unknown[], dialect: 'v2.1' | 'v2.0' = 'v2.1', callerIsAdmin = false) => planPatch(image, parsePatch(operations, dialect), dialect, callerIsAdmin);

  it('sets base attributes and extra properties, reporting only real changes', () => {
    const result = plan([
      { op: 'replace', path: '/name', value: 'new' },
      { op: 'add', path: '/min_ram', value: 512 },
      { op: 'add', path: '/hw_disk_bus', value: 'virtio' },
      { op: 'replace', path: '/os_distro', value: 'ubuntu' },
      { op: 'remove', path: '/keep' },
      { op: 'replace', path: '/tags', value: ['a', 'b', 'b'] },
      { op: 'replace', path: '/protected', value: false },
    ]);
    expect(result.changes).toEqual({
      attributes: { name: 'new', min_ram: 512, tags: ['a', 'b'] },
      setProperties: { hw_disk_bus: 'virtio', os_distro: 'ubuntu' },
      removedProperties: ['keep'],
    });
    expect(result.propertyActions).toEqual([
      { key: 'os_distro', action: 'update' },
      { key: 'hw_disk_bus', action: 'create' },
      { key: 'keep', action: 'delete' },
    ]);
  });

  it('applies operations in order: add then remove leaves nothing', () => {
    const result = plan([
      { op: 'add', path: '/x', value: '1' },
      { op: 'remove', path: '/x' },
    ]);
    expect(result.changes).toEqual({ attributes: {}, setProperties: {}, removedProperties: [] });
  });

  it('add of an existing property overwrites in v2.1 and conflicts in v2.0', () => {
    expect(plan([{ op: 'add', path: '/os_distro', value: 'x' }]).changes.setProperties).toEqual({ os_distro: 'x' });
    expect(errorKind(() => plan([{ add: '/os_distro', value: 'x' }], 'v2.0'))).toBe('conflict');
  });

  it.each([
    ['replace of a missing property', [{ op: 'replace', path: '/missing', value: 'x' }], 'conflict'],
    ['remove of a missing property', [{ op: 'remove', path: '/missing' }], 'conflict'],
    ['remove of a base attribute', [{ op: 'remove', path: '/name' }], 'forbidden'],
    ['a read-only attribute', [{ op: 'replace', path: '/status', value: 'active' }], 'forbidden'],
    ['the checksum', [{ op: 'add', path: '/checksum', value: 'x' }], 'forbidden'],
    ['a reserved key', [{ op: 'add', path: '/locations', value: [] }], 'forbidden'],
    ['an os_glance key', [{ op: 'add', path: '/os_glance_import_task', value: 'x' }], 'forbidden'],
    ['a non-string property', [{ op: 'add', path: '/answer', value: 42 }], 'invalid'],
    ['a null property', [{ op: 'add', path: '/answer', value: null }], 'invalid'],
    ['a property key over 255 characters', [{ op: 'add', path: `/${'k'.repeat(256)}`, value: 'x' }], 'invalid'],
    ['an empty key', [{ op: 'add', path: '/', value: 'x' }], 'invalid'],
    ['a name over 255 characters', [{ op: 'replace', path: '/name', value: 'n'.repeat(256) }], 'invalid'],
    ['an unknown visibility', [{ op: 'replace', path: '/visibility', value: 'everyone' }], 'invalid'],
    ['a string for protected', [{ op: 'replace', path: '/protected', value: 'true' }], 'invalid'],
    ['a negative min_disk', [{ op: 'replace', path: '/min_disk', value: -1 }], 'invalid'],
    ['an unknown disk format', [{ op: 'replace', path: '/disk_format', value: 'exe' }], 'invalid'],
    ['too many tags', [{ op: 'replace', path: '/tags', value: Array.from({ length: 129 }, (_, n) => `t${n}`) }], 'too_large'],
  ] as const)('refuses %s', (_label, operations, kind) => {
    expect(errorKind(() => plan([...operations]))).toBe(kind);
  });

  it('gives an admin\'s image another owner, by replace or add; the same owner is no change', () => {
    expect(plan([{ op: 'replace', path: '/owner', value: 'p2' }, { op: 'replace', path: '/name', value: 'n' }], 'v2.1', true)).toMatchObject({ owner: 'p2', changes: { attributes: { name: 'n' } } });
    expect(plan([{ add: '/owner', value: 'p2' }], 'v2.0', true).owner).toBe('p2');
    expect(plan([{ op: 'replace', path: '/owner', value: 'p1' }], 'v2.1', true).owner).toBeUndefined();
  });

  it.each([
    ['by a caller who is not an admin', [{ op: 'replace', path: '/owner', value: 'p2' }], false, 'forbidden'],
    ['to nothing', [{ op: 'replace', path: '/owner', value: '' }], true, 'invalid'],
    ['to null', [{ op: 'replace', path: '/owner', value: null }], true, 'invalid'],
    ['to a number', [{ op: 'replace', path: '/owner', value: 7 }], true, 'invalid'],
    ['to over 255 characters', [{ op: 'replace', path: '/owner', value: 'p'.repeat(256) }], true, 'invalid'],
    ['by removing it', [{ op: 'remove', path: '/owner' }], true, 'forbidden'],
  ] as const)('refuses a change of owner %s', (_label, operations, callerIsAdmin, kind) => {
    expect(errorKind(() => plan([...operations], 'v2.1', callerIsAdmin))).toBe(kind);
  });

  it('accepts a unicode name of 255 characters', () => {
    expect(plan([{ op: 'replace', path: '/name', value: 'é'.repeat(255) }]).changes.attributes.name).toHaveLength(255);
  });
});
