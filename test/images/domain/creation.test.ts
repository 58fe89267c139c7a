// The body of POST /v2/images.
import { describe, expect, it } from 'vitest';
import type { DomainError } from '../../../domain/decider.js';
import { DEFAULT_ATTRIBUTES, parseImageCreation } from '../../../domain/image/creation.js';
import { canSeeImage } from '../../../domain/image/visibility.js';

describe('parseImageCreation', () => {
  it('fills Glance defaults and keeps extra properties', () => {
    expect(parseImageCreation({ name: 'cirros', disk_format: 'qcow2', container_format: 'bare', os_distro: 'cirros', tags: ['a', 'a'] })).toEqual({
      attributes: { ...DEFAULT_ATTRIBUTES, name: 'cirros', disk_format: 'qcow2', container_format: 'bare', tags: ['a'] },
      properties: { os_distro: 'cirros' },
    });
  });

  it('takes a client-chosen id and owner', () => {
    const id = '6F1D2C1E-6B4C-4F7E-9A55-1D1C3A0F8E21';
    expect(parseImageCreation({ id, owner: 'p2' })).toMatchObject({ id: id.toLowerCase(), owner: 'p2' });
  });

  it.each([
    ['a read-only key', { status: 'active' }, 'forbidden'],
    ['a reserved key', { self: '/x' }, 'forbidden'],
    ['an os_glance key', { os_glance_importing_to_stores: 'x' }, 'forbidden'],
    ['a bad id', { id: 'not-a-uuid' }, 'invalid'],
    ['a number property', { hw_cpu_cores: 2 }, 'invalid'],
    ['a bad visibility', { visibility: 'open' }, 'invalid'],
    ['129 properties', Object.fromEntries(Array.from({ length: 129 }, (_, n) => [`p${n}`, 'v'])), 'too_large'],
  ])('refuses %s', (_label, body, kind) => {
    expect(() => parseImageCreation(body)).toThrow(expect.objectContaining({ kind }) as DomainError);
  });
});

describe('canSeeImage', () => {
  const viewer = { projectId: 'me', isAdmin: false };
  it.each([
    ['own private', { owner: 'me', visibility: 'private' }, null, true],
    ['other private', { owner: 'x', visibility: 'private' }, null, false],
    ['other public', { owner: 'x', visibility: 'public' }, null, true],
    ['other community', { owner: 'x', visibility: 'community' }, null, true],
    ['other shared, not a member', { owner: 'x', visibility: 'shared' }, null, false],
    ['other shared, pending member', { owner: 'x', visibility: 'shared' }, 'pending', true],
    ['other private, stale membership', { owner: 'x', visibility: 'private' }, 'accepted', false],
  ] as const)('%s', (_label, image, membership, expected) => {
    expect(canSeeImage(image, viewer, membership)).toBe(expected);
    expect(canSeeImage(image, { projectId: 'admin', isAdmin: true }, membership)).toBe(true);
  });
});
