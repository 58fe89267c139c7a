// Image CRUD, lists and data through the HTTP API (app.inject) over real parts.
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitUntil } from '../../../runtime/wait.js';
import { createImage, openImageHarness, patchImage, uploadData, type ImageHarness } from '../support/image-harness.js';

let h: ImageHarness;
beforeAll(async () => {
  h = await openImageHarness({ images: { showImageDirectUrl: true } });
});
afterAll(async () => {
  await h.close();
});

describe('create, show, update, delete', () => {
  it('creates with Location and import-methods headers, and shows at once', async () => {
    const response = await h.alice.call('POST', '/v2/images', { json: { name: 'ünïcode ✓', disk_format: 'qcow2', container_format: 'bare', os_distro: 'cirros', tags: ['a'] } });
    expect(response.statusCode).toBe(201);
    const image = response.json<Record<string, unknown>>();
    expect(response.headers.location).toBe(`${h.api.services.image.base}/v2/images/${image.id as string}`);
    expect(response.headers['openstack-image-import-methods']).toBe('glance-direct,web-download');
    expect(image).toMatchObject({ name: 'ünïcode ✓', status: 'queued', visibility: 'shared', owner: h.alice.projectId, os_distro: 'cirros', tags: ['a'], size: null, checksum: null });
    expect(image.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    const shown = await h.alice.call('GET', `/v2/images/${image.id as string}`);
    expect(shown.json()).toEqual(image);
  });

  it('patches with both dialects and answers with the new image', async () => {
    const { id } = await createImage(h.alice, { name: 'before' });
    const v21 = await patchImage(h.alice, id, [
      { op: 'replace', path: '/name', value: 'after' },
      { op: 'add', path: '/hw_disk_bus', value: 'scsi' },
      { op: 'add', path: '/min_ram', value: 256 },
    ]);
    expect(v21.statusCode).toBe(200);
    expect(v21.json()).toMatchObject({ name: 'after', hw_disk_bus: 'scsi', min_ram: 256 });
    const v20 = await patchImage(h.alice, id, [{ remove: '/hw_disk_bus' }, { replace: '/protected', value: true }], 'application/openstack-images-v2.0-json-patch');
    expect(v20.statusCode).toBe(200);
    expect(v20.json()).not.toHaveProperty('hw_disk_bus');
    expect(v20.json()).toMatchObject({ protected: true });
  });

  it('moves an image to another project when an admin patches its owner: the old project loses it, the new one may manage it', async () => {
    const { id } = await createImage(h.alice, { name: 'moving', visibility: 'private' });
    const refused = await patchImage(h.alice, id, [{ op: 'replace', path: '/owner', value: h.bob.projectId }]);
    expect(refused.statusCode).toBe(403);
    expect(refused.body).toContain("Owner can't be updated by non admin.");
    const moved = await patchImage(h.admin, id, [{ op: 'replace', path: '/owner', value: h.bob.projectId }, { op: 'replace', path: '/name', value: 'moved' }]);
    expect(moved.statusCode).toBe(200);
    expect(moved.json()).toMatchObject({ owner: h.bob.projectId, name: 'moved' });
    expect((await h.alice.call('GET', `/v2/images/${id}`)).statusCode).toBe(404);
    expect((await h.bob.call('GET', `/v2/images/${id}`)).json()).toMatchObject({ owner: h.bob.projectId, name: 'moved' });
    expect((await h.bob.call('GET', `/v2/images?owner=${h.bob.projectId}`)).json<{ images: Array<{ id: string }> }>().images.map((image) => image.id)).toContain(id);
    expect((await patchImage(h.bob, id, [{ op: 'replace', path: '/name', value: 'bobs' }])).statusCode).toBe(200);
    const recorded = (await h.api.context.events.readStream(`image-${id}`)).filter((event) => event.type === 'ImageOwnerChanged.v1');
    expect(recorded.map((event) => event.data)).toEqual([{ imageId: id, owner: h.bob.projectId, previousOwner: h.alice.projectId }]);
    expect(recorded[0]!.metadata.actor).toMatchObject({ projectId: h.admin.projectId, roles: expect.arrayContaining(['admin']) });
  });

  it('refuses to delete a protected image, deletes it once unprotected, and frees its data', async () => {
    const { id } = await createImage(h.alice, { protected: true });
    expect((await uploadData(h.alice, id, Buffer.from('data'))).statusCode).toBe(204);
    const location = h.api.services.image.queries.image(id)?.location as string;
    const file = join(h.api.services.image.store.root, 'images', location);
    expect(existsSync(file)).toBe(true);
    expect((await h.alice.call('DELETE', `/v2/images/${id}`)).statusCode).toBe(403);
    expect((await patchImage(h.alice, id, [{ op: 'replace', path: '/protected', value: false }])).statusCode).toBe(200);
    expect((await h.alice.call('DELETE', `/v2/images/${id}`)).statusCode).toBe(204);
    expect((await h.alice.call('GET', `/v2/images/${id}`)).statusCode).toBe(404);
    expect(existsSync(file)).toBe(false);
  });

  it('adds and removes tags one by one', async () => {
    const { id } = await createImage(h.alice);
    expect((await h.alice.call('PUT', `/v2/images/${id}/tags/blue`)).statusCode).toBe(204);
    expect((await h.alice.call('PUT', `/v2/images/${id}/tags/blue`)).statusCode).toBe(204);
    expect((await h.alice.call('PUT', `/v2/images/${id}/tags/green`)).statusCode).toBe(204);
    expect((await h.alice.call('DELETE', `/v2/images/${id}/tags/blue`)).statusCode).toBe(204);
    expect((await h.alice.call('GET', `/v2/images/${id}`)).json()).toMatchObject({ tags: ['green'] });
  });
});

describe('data', () => {
  const data = randomBytes(200_000);
  let id = '';
  beforeAll(async () => {
    id = (await createImage(h.alice, { name: 'data' })).id;
  });

  it('answers 204 for an image without data', async () => {
    expect((await h.alice.call('GET', `/v2/images/${id}/file`)).statusCode).toBe(204);
  });

  it('uploads (204), records both hashes and the virtual size, and shows direct_url when configured', async () => {
    expect((await uploadData(h.alice, id, data)).statusCode).toBe(204);
    const image = (await h.alice.call('GET', `/v2/images/${id}`)).json<Record<string, unknown>>();
    expect(image).toMatchObject({
      status: 'active',
      size: data.length,
      virtual_size: data.length,
      checksum: createHash('md5').update(data).digest('hex'),
      os_hash_algo: 'sha512',
      os_hash_value: createHash('sha512').update(data).digest('hex'),
    });
    expect(image.direct_url).toMatch(new RegExp(`^file://${h.api.services.image.store.root}/images/[0-9a-f-]{36}$`));
  });

  it('downloads whole (200, Content-MD5) and in ranges (206)', async () => {
    const whole = await h.alice.call('GET', `/v2/images/${id}/file`);
    expect(whole.statusCode).toBe(200);
    expect(whole.rawPayload.equals(data)).toBe(true);
    expect(whole.headers).toMatchObject({ 'content-type': 'application/octet-stream', 'content-md5': createHash('md5').update(data).digest('hex') });
    for (const [range, start, end] of [
      ['bytes=10-19', 10, 19],
      ['bytes=199990-', 199_990, 199_999],
      ['bytes=-5', 199_995, 199_999],
      ['bytes=199995-300000', 199_995, 199_999],
    ] as const) {
      const part = await h.alice.call('GET', `/v2/images/${id}/file`, { headers: { range } });
      expect(part.statusCode).toBe(206);
      expect(part.headers['content-range']).toBe(`bytes ${start}-${end}/${data.length}`);
      expect(part.rawPayload.equals(data.subarray(start, end + 1))).toBe(true);
    }
  });

  it('a deactivated image refuses download to its non-admin owner, not to an admin', async () => {
    expect((await h.alice.call('POST', `/v2/images/${id}/actions/deactivate`)).statusCode).toBe(204);
    expect((await h.alice.call('POST', `/v2/images/${id}/actions/deactivate`)).statusCode).toBe(204);
    expect((await h.alice.call('GET', `/v2/images/${id}`)).json()).toMatchObject({ status: 'deactivated' });
    expect((await h.alice.call('GET', `/v2/images/${id}/file`)).statusCode).toBe(403);
    expect((await h.admin.call('GET', `/v2/images/${id}/file`)).statusCode).toBe(200);
    expect((await h.alice.call('POST', `/v2/images/${id}/actions/reactivate`)).statusCode).toBe(204);
    expect((await h.alice.call('GET', `/v2/images/${id}/file`)).statusCode).toBe(200);
  });

  it('a refused upload returns the image to queued and keeps no bytes', async () => {
    const { id: other } = await createImage(h.alice, { disk_format: 'vmdk' });
    const stored = () => ['images', 'staging', 'partial'].flatMap((area) => readdirSync(join(h.api.services.image.store.root, area)));
    const before = stored();
    expect((await uploadData(h.alice, other, randomBytes(10_000))).statusCode).toBe(400);
    expect((await h.alice.call('GET', `/v2/images/${other}`)).json()).toMatchObject({ status: 'queued', size: null });
    expect(stored()).toEqual(before);
  });
});

describe('storage quota', () => {
  it('counts what a project stores and refuses (413) what would exceed its quota', async () => {
    const limited = await openImageHarness({ images: { userStorageQuotaBytes: 1000 } });
    try {
      const first = await createImage(limited.alice);
      expect((await uploadData(limited.alice, first.id, Buffer.alloc(600))).statusCode).toBe(204);
      const second = await createImage(limited.alice);
      const refused = await uploadData(limited.alice, second.id, Buffer.alloc(600));
      expect(refused.statusCode).toBe(413);
      expect((await limited.alice.call('GET', `/v2/images/${second.id}`)).json()).toMatchObject({ status: 'queued' });
      expect((await uploadData(limited.alice, second.id, Buffer.alloc(400))).statusCode).toBe(204);
      // Another project has its own quota.
      const bobs = await createImage(limited.bob);
      expect((await uploadData(limited.bob, bobs.id, Buffer.alloc(900))).statusCode).toBe(204);
    } finally {
      await limited.close();
    }
  });
});

describe('discovery', () => {
  it('answers versions (300 at the root), schemas and import methods', async () => {
    const root = await h.api.app.inject({ method: 'GET', url: '/image/' });
    expect(root.statusCode).toBe(300);
    expect(root.json<{ versions: Array<{ id: string; status: string; links: unknown[] }> }>().versions[0]).toEqual({
      id: 'v2.16',
      status: 'CURRENT',
      links: [{ rel: 'self', href: `${h.api.services.image.base}/v2/` }],
    });
    expect((await h.api.app.inject({ method: 'GET', url: '/image/versions' })).statusCode).toBe(200);
    for (const name of ['image', 'images', 'member', 'members']) {
      const schema = await h.alice.call('GET', `/v2/schemas/${name}`);
      expect(schema.json()).toMatchObject({ name });
    }
    expect((await h.alice.call('GET', '/v2/schemas/image')).json()).toMatchObject({ additionalProperties: { type: 'string' } });
    expect((await h.alice.call('GET', '/v2/info/import')).json()).toEqual({
      'import-methods': { description: 'Import methods available.', type: 'array', value: ['glance-direct', 'web-download'] },
    });
  });
});

describe('an upload whose client goes away', () => {
  it('returns the image to queued and keeps nothing', async () => {
    const { id } = await createImage(h.alice);
    const address = await h.api.app.listen({ host: '127.0.0.1', port: 0 });
    const stored = () => ['images', 'staging', 'partial'].flatMap((area) => readdirSync(join(h.api.services.image.store.root, area)));
    const before = stored();
    const request = httpRequest(`${address}/image/v2/images/${id}/file`, {
      method: 'PUT',
      headers: { 'x-auth-token': h.alice.token, 'content-type': 'application/octet-stream', 'content-length': String(10 * 1024 * 1024) },
    });
    request.on('error', () => undefined);
    request.write(randomBytes(256 * 1024));
    await waitUntil('the upload to start', async () => (await h.alice.call('GET', `/v2/images/${id}`)).json<{ status: string }>().status === 'saving', { timeoutMs: 5_000 });
    request.destroy();
    await waitUntil('the image to return to queued', async () => (await h.alice.call('GET', `/v2/images/${id}`)).json<{ status: string }>().status === 'queued', { timeoutMs: 5_000 });
    expect(stored()).toEqual(before);
    const failure = (await h.api.context.events.readStream(`image-${id}`)).at(-1);
    expect(failure).toMatchObject({ type: 'ImageUploadFailed.v1' });
  });
});
