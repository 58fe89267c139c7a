// Sharing: the owner adds members, each member accepts or rejects; who sees what.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createImage, openImageHarness, patchImage, type ImageHarness } from '../support/image-harness.js';

let h: ImageHarness;
beforeAll(async () => {
  h = await openImageHarness();
});
afterAll(async () => {
  await h.close();
});

describe('image members', () => {
  it('owner shares, member accepts, rejects, and is removed', async () => {
    const { id } = await createImage(h.alice, { name: 'to-share' });
    const added = await h.alice.call('POST', `/v2/images/${id}/members`, { json: { member: h.bob.projectId } });
    expect(added.statusCode).toBe(200);
    expect(added.json()).toMatchObject({ image_id: id, member_id: h.bob.projectId, status: 'pending', schema: '/v2/schemas/member' });
    expect((await h.alice.call('POST', `/v2/images/${id}/members`, { json: { member: h.bob.projectId } })).statusCode).toBe(409);

    const listed = (await h.alice.call('GET', `/v2/images/${id}/members`)).json<{ members: Array<{ member_id: string }> }>();
    expect(listed.members.map((member) => member.member_id)).toEqual([h.bob.projectId]);
    expect((await h.bob.call('GET', `/v2/images/${id}/members/${h.bob.projectId}`)).json()).toMatchObject({ status: 'pending' });

    // Only the member decides its status; the owner may not accept for it.
    expect((await h.alice.call('PUT', `/v2/images/${id}/members/${h.bob.projectId}`, { json: { status: 'accepted' } })).statusCode).toBe(403);
    const accepted = await h.bob.call('PUT', `/v2/images/${id}/members/${h.bob.projectId}`, { json: { status: 'accepted' } });
    expect(accepted.statusCode).toBe(200);
    expect(accepted.json()).toMatchObject({ status: 'accepted' });
    const bobsList = (await h.bob.call('GET', '/v2/images')).json<{ images: Array<{ id: string }> }>();
    expect(bobsList.images.map((image) => image.id)).toContain(id);
    // A member may not change the image.
    expect((await patchImage(h.bob, id, [{ op: 'replace', path: '/name', value: 'mine' }])).statusCode).toBe(403);

    expect((await h.bob.call('PUT', `/v2/images/${id}/members/${h.bob.projectId}`, { json: { status: 'rejected' } })).statusCode).toBe(200);
    expect((await h.bob.call('GET', '/v2/images')).json<{ images: Array<{ id: string }> }>().images.map((image) => image.id)).not.toContain(id);

    expect((await h.bob.call('DELETE', `/v2/images/${id}/members/${h.bob.projectId}`)).statusCode).toBe(403);
    expect((await h.alice.call('DELETE', `/v2/images/${id}/members/${h.bob.projectId}`)).statusCode).toBe(204);
    expect((await h.bob.call('GET', `/v2/images/${id}`)).statusCode).toBe(404);
    expect((await h.alice.call('GET', `/v2/images/${id}/members`)).json()).toEqual({ members: [], schema: '/v2/schemas/members' });
  });

  it('a member sees its own membership only', async () => {
    const { id } = await createImage(h.alice);
    for (const member of [h.bob.projectId, 'some-other-project']) {
      expect((await h.alice.call('POST', `/v2/images/${id}/members`, { json: { member } })).statusCode).toBe(200);
    }
    const seen = (await h.bob.call('GET', `/v2/images/${id}/members`)).json<{ members: Array<{ member_id: string }> }>();
    expect(seen.members.map((member) => member.member_id)).toEqual([h.bob.projectId]);
    expect((await h.bob.call('GET', `/v2/images/${id}/members/some-other-project`)).statusCode).toBe(404);
  });
});

describe('property protections', () => {
  it('hides unreadable properties and refuses forbidden changes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'strata-protections-'));
    const file = join(dir, 'property-protections.conf');
    writeFileSync(file, '[^x_admin_.*]\ncreate = admin\nread = admin\nupdate = admin\ndelete = admin\n\n[.*]\ncreate = @\nread = @\nupdate = @\ndelete = @\n');
    const guarded = await openImageHarness({ policy: { propertyProtectionFile: file } });
    try {
      expect((await guarded.alice.call('POST', '/v2/images', { json: { x_admin_note: 'mine' } })).statusCode).toBe(403);
      const { id } = await createImage(guarded.alice, { os_distro: 'cirros' });
      expect((await patchImage(guarded.alice, id, [{ op: 'add', path: '/x_admin_note', value: 'x' }])).statusCode).toBe(403);
      expect((await patchImage(guarded.admin, id, [{ op: 'add', path: '/x_admin_note', value: 'reviewed' }])).statusCode).toBe(200);
      const asOwner = (await guarded.alice.call('GET', `/v2/images/${id}`)).json<Record<string, unknown>>();
      expect(asOwner).toMatchObject({ os_distro: 'cirros' });
      expect(asOwner).not.toHaveProperty('x_admin_note');
      expect((await guarded.admin.call('GET', `/v2/images/${id}`)).json()).toMatchObject({ x_admin_note: 'reviewed' });
      expect((await patchImage(guarded.alice, id, [{ op: 'remove', path: '/x_admin_note' }])).statusCode).toBe(403);
    } finally {
      await guarded.close();
    }
  });
});
