// Cinder v3 volumes through the in-process API, with the real workflows and storage
// activities behind it: a create becomes available with its sparse file on the node, a
// delete removes it, and bad input or another project's volume is refused as Cinder does.
import { randomUUID } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { volumeFilePath } from '../../activities/storage/volume-files.js';
import { handleCommand } from '../../application/handle-command.js';
import { requestMetadata } from '../../application/metadata.js';
import { dataPaths } from '../../config/paths.js';
import { volumeStream } from '../../domain/volume/events.js';
import type { RecordedVolumeEvent } from '../../domain/volume/volume.js';
import { DELETE_REFUSED, volumeDecider } from '../../domain/volume/volume.js';
import type { VolumeBench } from './volume-bench.js';
import { BENCH_NODE, openVolumeBench } from './volume-bench.js';

let bench: VolumeBench;

beforeAll(async () => {
  bench = await openVolumeBench();
});
afterAll(() => bench?.close());

type Json = Record<string, unknown>;
interface VersionsAnswer { versions: Array<Json & { links: Json[] }> }
interface VolumesAnswer { volumes: Json[] }

async function createVolume(body: Record<string, unknown>) {
  const response = await bench.volume(bench.alice, 'POST', `${bench.v3(bench.alice)}/volumes`, { volume: body });
  return { status: response.statusCode, body: response.json<Record<string, Record<string, unknown>>>() };
}

describe('Cinder v3 volumes', () => {
  it('discovers the v3 API at /volume and /volume/v3/', async () => {
    const root = await bench.volume(bench.alice, 'GET', '/');
    expect(root.statusCode).toBe(300);
    expect(root.json<VersionsAnswer>().versions).toEqual([expect.objectContaining({ id: 'v3.0', status: 'CURRENT', min_version: '3.0' })]);
    const v3 = await bench.volume(bench.alice, 'GET', '/v3/');
    expect(v3.json<VersionsAnswer>().versions[0]?.links).toContainEqual({ rel: 'self', href: expect.stringMatching(/\/volume\/v3\/$/) });
  });

  it('creates a volume (202, creating) that becomes available with a sparse file of its size on the node, lists, shows and deletes it', async () => {
    const { status, body } = await createVolume({ size: 1, name: 'v1', description: 'first' });
    expect(status).toBe(202);
    const created = body.volume as Record<string, unknown>;
    expect(created).toMatchObject({ name: 'v1', description: 'first', size: 1, status: 'creating', attachments: [], bootable: 'false', encrypted: false, availability_zone: 'nova', metadata: {} });
    expect(created).not.toHaveProperty('os-vol-tenant-attr:tenant_id');
    const id = created.id as string;

    expect(await bench.waitForStatus(bench.alice, id, ['available', 'error'])).toMatchObject({ status: 'available' });
    const file = volumeFilePath(join(dataPaths(bench.api.config).volumes, BENCH_NODE), id);
    const stat = statSync(file);
    expect(stat.size).toBe(1024 ** 3);
    expect(stat.blocks * 512).toBeLessThan(1024 * 1024);

    const list = await bench.volume(bench.alice, 'GET', `${bench.v3(bench.alice)}/volumes`);
    expect(list.json<VolumesAnswer>().volumes).toContainEqual(expect.objectContaining({ id, name: 'v1' }));
    const detail = await bench.volume(bench.alice, 'GET', `${bench.v3(bench.alice)}/volumes/detail`);
    expect(detail.json<VolumesAnswer>().volumes).toContainEqual(expect.objectContaining({ id, status: 'available', size: 1 }));
    const bobsList = await bench.volume(bench.bob, 'GET', `${bench.v3(bench.bob)}/volumes/detail`);
    expect(bobsList.json<VolumesAnswer>().volumes.map((volume) => volume.id)).not.toContain(id);
    const asAdmin = await bench.volume(bench.admin, 'GET', `${bench.v3(bench.admin)}/volumes/${id}`);
    expect(asAdmin.json<{ volume: Json }>().volume['os-vol-tenant-attr:tenant_id']).toBe(bench.alice.projectId);

    const deleted = await bench.volume(bench.alice, 'DELETE', `${bench.v3(bench.alice)}/volumes/${id}`);
    expect(deleted.statusCode).toBe(202);
    const afterDelete = await bench.waitForGone(id);
    expect(afterDelete).toEqual({ itemNotFound: { code: 404, message: `Volume ${id} could not be found.` } });
    expect(existsSync(file)).toBe(false);
  });

  it('refuses sizes Cinder refuses, and sources strata does not offer, with 400', async () => {
    for (const size of [0, -1, '0', 1.5, 'ten', 2 ** 31, 16 * 1024 + 1]) {
      const { status, body } = await createVolume({ size, name: 'bad' });
      expect(status, String(size)).toBe(400);
      expect(body.badRequest?.message).toMatch(/size|larger than/);
    }
    expect((await createVolume({ name: 'no-size' })).status).toBe(400);
    expect((await createVolume({ size: 1, snapshot_id: 'x' })).status).toBe(400);
    expect((await createVolume({ size: 1, availability_zone: 'elsewhere' })).body).toEqual({ badRequest: { code: 400, message: "Invalid input received: Availability zone 'elsewhere' is invalid." } });
  });

  it('hides another project’s volume (404) and refuses a path naming another project (400)', async () => {
    const { body } = await createVolume({ size: 1, name: 'private' });
    const id = (body.volume as { id: string }).id;
    for (const method of ['GET', 'DELETE'] as const) {
      const response = await bench.volume(bench.bob, method, `${bench.v3(bench.bob)}/volumes/${id}`);
      expect(response.statusCode).toBe(404);
      expect(response.json()).toEqual({ itemNotFound: { code: 404, message: `Volume ${id} could not be found.` } });
    }
    const wrongPath = await bench.volume(bench.bob, 'GET', `${bench.v3(bench.alice)}/volumes/${id}`);
    expect(wrongPath.statusCode).toBe(400);
    expect(wrongPath.json()).toEqual({ badRequest: { code: 400, message: 'Malformed request url' } });
    expect((await bench.volume(bench.alice, 'GET', `${bench.v3(bench.alice)}/volumes/${id}`)).statusCode).toBe(200);
  });

  it('refuses to delete a volume that is attached (409, in Cinder’s words) and keeps it', async () => {
    const { body } = await createVolume({ size: 1, name: 'attached' });
    const id = (body.volume as { id: string }).id;
    await bench.waitForStatus(bench.alice, id, ['available']);
    // The attach workflow's events, recorded directly: this test is about the delete.
    const attachmentId = randomUUID();
    let position = 0;
    const attachEvents: RecordedVolumeEvent[] = [
      { type: 'VolumeAttaching.v1', data: { attachmentId, instanceId: randomUUID(), host: 'compute-a', device: '/dev/vdc' } },
      { type: 'VolumeAttached.v1', data: { attachmentId } },
    ];
    for (const event of attachEvents) {
      ({ position } = await handleCommand(bench.api.context.events, volumeDecider, volumeStream(id), { kind: 'record', event }, { metadata: requestMetadata(null, 'test') }));
    }
    await bench.api.context.projections.waitFor(position, 5_000);
    const shown = await bench.waitForStatus(bench.alice, id, ['in-use']);
    expect(shown.attachments).toEqual([expect.objectContaining({ attachment_id: attachmentId, volume_id: id, device: '/dev/vdc' })]);

    const refused = await bench.volume(bench.alice, 'DELETE', `${bench.v3(bench.alice)}/volumes/${id}`);
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toEqual({ conflictingRequest: { code: 409, message: DELETE_REFUSED } });
    expect(await bench.waitForStatus(bench.alice, id, ['in-use'])).toMatchObject({ status: 'in-use' });
  });
});
