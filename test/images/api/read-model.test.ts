// The images read model: what the API did live equals a rebuild from the log, and random
// JSON patches never break the API (no 5xx) nor leave the image half-changed.
import fc from 'fast-check';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { imagesProjection } from '../../../projections/images.js';
import { openReadModel } from '../../../projections/read-model.js';
import { rebuildProjection } from '../../../projections/rebuild.js';
import { createImage, openImageHarness, patchImage, uploadData, type ImageHarness } from '../support/image-harness.js';

let h: ImageHarness;
beforeAll(async () => {
  h = await openImageHarness();
});
afterAll(async () => {
  await h.close();
});

describe('images read model', () => {
  it('after every kind of change, equals a rebuild from position 0', async () => {
    const kept = await createImage(h.alice, { name: 'kept', tags: ['x'], os_distro: 'cirros' });
    expect((await uploadData(h.alice, kept.id, Buffer.alloc(2048, 1))).statusCode).toBe(204);
    expect((await patchImage(h.alice, kept.id, [{ op: 'add', path: '/os_version', value: '1' }, { op: 'remove', path: '/os_distro' }])).statusCode).toBe(200);
    expect((await h.alice.call('PUT', `/v2/images/${kept.id}/tags/y`)).statusCode).toBe(204);
    expect((await h.alice.call('POST', `/v2/images/${kept.id}/members`, { json: { member: h.bob.projectId } })).statusCode).toBe(200);
    expect((await h.bob.call('PUT', `/v2/images/${kept.id}/members/${h.bob.projectId}`, { json: { status: 'accepted' } })).statusCode).toBe(200);
    expect((await h.alice.call('POST', `/v2/images/${kept.id}/actions/deactivate`)).statusCode).toBe(204);
    const staged = await createImage(h.alice, { name: 'staged' });
    expect((await h.alice.call('PUT', `/v2/images/${staged.id}/stage`, { body: 'abc', headers: { 'content-type': 'application/octet-stream' } })).statusCode).toBe(204);
    const refused = await createImage(h.alice, { name: 'refused', disk_format: 'qcow2' });
    expect((await uploadData(h.alice, refused.id, Buffer.alloc(100))).statusCode).toBe(400);
    const deleted = await createImage(h.bob, { name: 'deleted' });
    expect((await h.bob.call('DELETE', `/v2/images/${deleted.id}`)).statusCode).toBe(204);

    const rebuilt = openReadModel(join(mkdtempSync(join(tmpdir(), 'strata-rebuild-')), 'read-model.db'));
    try {
      await rebuildProjection(rebuilt, h.api.context.events, imagesProjection);
      for (const table of imagesProjection.tables) {
        const rows = (db: typeof rebuilt) => db.prepare(`SELECT * FROM ${table} ORDER BY 1, 2`).all();
        expect(rows(rebuilt), table).toEqual(rows(h.api.context.readModel));
      }
      expect(rebuilt.prepare('SELECT count(*) AS n FROM images').get()).toEqual({ n: 3 });
    } finally {
      rebuilt.close();
    }
  });

  it('an image deleted while its data streams in: 410, and the data is not kept', async () => {
    const { id } = await createImage(h.alice);
    let deleteNow: () => void = () => undefined;
    const deletedMeanwhile = new Promise<void>((resolve) => (deleteNow = resolve));
    async function* slowBody() {
      yield Buffer.alloc(1000, 1);
      deleteNow();
      await new Promise((resolve) => setTimeout(resolve, 300));
      yield Buffer.alloc(1000, 2);
    }
    const upload = h.api.app.inject({
      method: 'PUT',
      url: `/image/v2/images/${id}/file`,
      headers: { 'x-auth-token': h.alice.token, 'content-type': 'application/octet-stream' },
      payload: Readable.from(slowBody()),
    });
    await deletedMeanwhile;
    expect((await h.alice.call('DELETE', `/v2/images/${id}`)).statusCode).toBe(204);
    const response = await upload;
    expect(response.statusCode).toBe(410);
    expect(response.json()).toMatchObject({ code: '410 Gone' });
    const root = h.api.services.image.store.root;
    const live = new Set(h.api.context.readModel.prepare('SELECT location FROM images WHERE location IS NOT NULL').pluck().all());
    expect(readdirSync(join(root, 'images')).filter((name) => !live.has(name))).toEqual([]);
  });
});

describe('random JSON patches', () => {
  const paths = ['/name', '/os_distro', '/status', '/tags', '/x~1y', '/a/b', 'name', '/visibility', '/min_ram', '/protected', '/locations', '/os_glance_x', '/', '/~2'];
  const values = fc.oneof(fc.string({ maxLength: 300 }), fc.integer(), fc.boolean(), fc.constant(null), fc.array(fc.string({ maxLength: 5 }), { maxLength: 3 }), fc.constant({ nested: true }), fc.constantFrom('public', 'private', 'shared'));
  const operation = fc.record(
    { op: fc.constantFrom('add', 'remove', 'replace', 'move', 'test', 7), path: fc.constantFrom(...paths), value: values },
    { requiredKeys: ['op'] },
  );

  it('never answer 5xx, and either apply entirely or change nothing', async () => {
    const { id } = await createImage(h.alice, { name: 'fuzzed', os_distro: 'cirros' });
    await fc.assert(
      fc.asyncProperty(fc.array(operation, { maxLength: 4 }), fc.boolean(), async (operations, v20) => {
        const before = (await h.alice.call('GET', `/v2/images/${id}`)).json<Record<string, unknown>>();
        const body = v20 ? operations.map(({ op, path, value }) => ({ [String(op)]: path, value })) : operations;
        const response = await patchImage(h.alice, id, body, `application/openstack-images-v${v20 ? '2.0' : '2.1'}-json-patch`);
        expect(response.statusCode).toBeLessThan(500);
        const after = (await h.alice.call('GET', `/v2/images/${id}`)).json<Record<string, unknown>>();
        if (response.statusCode === 200) expect(response.json()).toEqual(after);
        else expect(after).toEqual(before);
      }),
      { numRuns: 150 },
    );
  });
});
