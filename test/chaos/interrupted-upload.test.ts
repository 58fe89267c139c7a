// Regression found by the chaos run (npm run chaos): an API killed in the middle of an
// image upload left the image `saving` forever and its half-written file in the store's
// partial/ directory. An API starting up now returns such images to queued (Glance's
// "upload failure returns to queued") and removes the partial files.
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { handleCommand } from '../../application/handle-command.js';
import { requestMetadata } from '../../application/metadata.js';
import { dataPaths } from '../../config/paths.js';
import { imageStream } from '../../domain/image/events.js';
import { imageDecider } from '../../domain/image/image.js';
import { openTestApi, type TestApi } from '../support/api-harness.js';

let api: TestApi;
let token: string;

beforeAll(async () => {
  api = await openTestApi();
  token = await api.adminToken();
});
afterAll(async () => api?.close());

const show = async (id: string) => (await api.app.inject({ method: 'GET', url: `/image/v2/images/${id}`, headers: { 'x-auth-token': token } })).json<{ status: string }>();

it('an upload cut off by the API dying goes back to queued, its partial file is removed, and a new upload succeeds', async () => {
  const created = await api.app.inject({ method: 'POST', url: '/image/v2/images', headers: { 'x-auth-token': token }, payload: { name: 'cut-off', disk_format: 'raw', container_format: 'bare' } });
  const { id } = created.json<{ id: string }>();
  // What the dead process left: the image saving, and its bytes half-written under partial/.
  const { position } = await handleCommand(api.context.events, imageDecider, imageStream(id), { kind: 'startUpload' }, { metadata: requestMetadata(null, 'test') });
  await api.context.projections.waitFor(position, 5_000);
  const partialDir = join(dataPaths(api.config).images, 'partial');
  writeFileSync(join(partialDir, 'left-by-a-dead-api'), Buffer.alloc(4096, 1));
  expect((await show(id)).status).toBe('saving');

  expect(await api.services.image.data.abandonInterruptedUploads(requestMetadata(null, 'startup'))).toBe(1);

  expect((await show(id)).status).toBe('queued');
  expect(readdirSync(partialDir)).toEqual([]);
  const upload = await api.app.inject({
    method: 'PUT',
    url: `/image/v2/images/${id}/file`,
    headers: { 'x-auth-token': token, 'content-type': 'application/octet-stream' },
    payload: Buffer.alloc(8192, 7),
  });
  expect(upload.statusCode).toBe(204);
  expect((await show(id)).status).toBe('active');
  // Nothing else was receiving data, so a second start-up finds nothing to abandon.
  expect(await api.services.image.data.abandonInterruptedUploads(requestMetadata(null, 'startup'))).toBe(0);
});
