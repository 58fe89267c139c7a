// Where a compute host gets image bytes, against the real image service: the Glance API
// over HTTP with a Keystone token (resuming with a Range request), the filesystem store
// read directly when its file is here, and the compute wiring choosing between them.
import type { AddressInfo } from 'node:net';
import { copyFile, mkdir, readFile, truncate } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { glanceImageSource } from '../../activities/launch/glance-image-source.js';
import { computeHostActivitiesFor } from '../../activities/launch/host-wiring.js';
import { firstAvailable } from '../../activities/launch/image-source.js';
import { KeystoneSession } from '../../activities/launch/keystone-session.js';
import { storeImageSource } from '../../activities/launch/store-image-source.js';
import { LaunchFailure } from '../../activities/launch/contract.js';
import { dataPaths } from '../../config/paths.js';
import { validateConfig } from '../../config/load.js';
import type { ImageSnapshot } from '../../domain/compute/instance.js';
import { openTestApi, TEST_ADMIN_PASSWORD, type TestApi } from '../support/api-harness.js';
import { digestOf, failureOf, guestFiles, imageOf, runActivity, useHostLab } from './host-lab.js';

const lab = useHostLab();
let api: TestApi;
let apiBase = '';
let image: ImageSnapshot;

async function uploadImage(token: string, file: string): Promise<ImageSnapshot> {
  const headers = { 'x-auth-token': token };
  const created = await api.app.inject({ method: 'POST', url: '/image/v2/images', headers, payload: { name: 'bios', disk_format: 'raw', container_format: 'bare' } });
  expect(created.statusCode).toBe(201);
  const { id } = created.json<{ id: string }>();
  const uploaded = await api.app.inject({ method: 'PUT', url: `/image/v2/images/${id}/file`, headers: { ...headers, 'content-type': 'application/octet-stream' }, payload: await readFile(file) });
  expect(uploaded.statusCode).toBe(204);
  const shown = (await api.app.inject({ method: 'GET', url: `/image/v2/images/${id}`, headers })).json<{ os_hash_value: string; checksum: string; size: number }>();
  return { ...(await imageOf(file, 'raw')), id, osHashValue: shown.os_hash_value, checksum: shown.checksum, size: shown.size };
}

const session = () => new KeystoneSession(apiBase, { user: 'admin', password: TEST_ADMIN_PASSWORD, project: 'admin' });

beforeAll(async () => {
  api = await openTestApi();
  await api.app.listen({ host: '127.0.0.1', port: 0 });
  apiBase = `http://127.0.0.1:${(api.app.server.address() as AddressInfo).port}`;
  image = await uploadImage(await api.adminToken(), guestFiles.biosRaw);
});
afterAll(() => api.close());

describe('image sources', () => {
  it('downloads over the Glance API with a service token', async () => {
    expect(image.osHashValue).toBe(await digestOf(guestFiles.biosRaw, 'sha512'));
    const { activities } = lab.host({ source: glanceImageSource(apiBase, session()) });
    const { result, heartbeats } = await runActivity(activities.ensureImageCached, [lab.step(randomUUID(), 'ensureImageCached'), image]);
    expect(await digestOf(result.path, 'sha512')).toBe(image.osHashValue);
    expect(heartbeats.at(-1)).toEqual({ phase: 'downloading', bytes: image.size, resumedFrom: 0 });
  });

  it('resumes over HTTP with a Range request from the bytes the last attempt made durable', async () => {
    const { layout, activities } = lab.host({ source: glanceImageSource(apiBase, session()) });
    const half = image.size / 2;
    await mkdir(layout.baseDir, { recursive: true });
    await copyFile(guestFiles.biosRaw, layout.base(image.id).part);
    await truncate(layout.base(image.id).part, half);
    const lastBeat = { phase: 'downloading', bytes: half, resumedFrom: 0 };
    const { result, heartbeats } = await runActivity(activities.ensureImageCached, [lab.step(randomUUID(), 'ensureImageCached'), image], { heartbeatDetails: lastBeat });
    expect(heartbeats.at(-1)).toEqual({ phase: 'downloading', bytes: image.size, resumedFrom: half });
    expect(await digestOf(result.path, 'sha512')).toBe(image.osHashValue);
  });

  it('reads the store file directly when it is readable here, and falls back to the API otherwise', async () => {
    const store = storeImageSource(api.context.events, dataPaths(api.config).images);
    const glance = glanceImageSource(apiBase, session());
    const local = await store.open(image.id, 0);
    local?.stream.destroy();
    expect(local?.origin).toMatch(/^image store file .*\/images\/images\/[0-9a-f-]{36}$/);
    const elsewhere = storeImageSource(api.context.events, lab.path('no-store-here'));
    const fallback = await firstAvailable(elsewhere, glance).open(image.id, 0);
    fallback?.stream.destroy();
    expect(fallback?.origin).toBe(`Glance API ${apiBase}/image/v2/images/${image.id}/file`);
    expect(await firstAvailable(store, glance).open(randomUUID(), 0)).toBeNull();
    // Only the store names a file the cache may link; the API never does.
    expect(await firstAvailable(store, glance).localFile?.(image.id)).toBe(local?.origin.replace(/^image store file /, ''));
    expect(await firstAvailable(elsewhere, glance).localFile?.(image.id)).toBeNull();
    expect(await firstAvailable(store, glance).localFile?.(randomUUID())).toBeNull();
  });

  it('wires a compute host from the configuration: launch activities that find the image in the store', async () => {
    const config = validateConfig({ ...api.config, api: { ...api.config.api, publicUrl: apiBase }, compute: { ...api.config.compute, host: 'wired', accelerator: 'tcg' } }, () => 'test');
    const { layout, launch } = computeHostActivitiesFor(config, api.context.events);
    expect(layout.hostDir).toBe(`${dataPaths(config).hosts}/wired`);
    const { result } = await runActivity(launch.ensureImageCached, [lab.step(randomUUID(), 'ensureImageCached'), image]);
    expect(result.path).toBe(layout.base(image.id).file);
    expect(await digestOf(result.path, 'sha512')).toBe(image.osHashValue);

    const missing = { ...image, id: randomUUID() };
    const failure = await failureOf(runActivity(launch.ensureImageCached, [lab.step(randomUUID(), 'ensureImageCached'), missing]));
    expect(failure).toMatchObject({ type: LaunchFailure.invalidRequest, message: expect.stringContaining('has no data this host can read') });
  });
});
