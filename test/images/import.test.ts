// Image import as a Temporal workflow on the real dev server: web-download from a local
// HTTP source (allowed explicitly), glance-direct from staged data, the SSRF guard,
// format checks, transient failures retried, and the image back to queued on failure.
import { Client, Connection, WorkflowFailedError } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { NativeConnection, Worker } from '@temporalio/worker';
import { execa } from 'execa';
import { createHash, randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createImageImportActivities } from '../../activities/image-import.js';
import { ImageImports, imageImportWorkflowId } from '../../application/images/image-imports.js';
import { requestMetadata } from '../../application/metadata.js';
import { waitUntil } from '../../runtime/wait.js';
import { workflowsPath } from '../../workers/control.js';
import { saveHistory, savedHistoryPath } from '../histories/save.js';
import { createImage, openImageHarness, type ImageHarness } from './support/image-harness.js';

const taskQueue = `image-import-test-${randomUUID()}`;
/** A recorded run of the workflow: changed workflow code must still replay it (or use patched()). */
const SAVED_HISTORY = savedHistoryPath('imageImport', 'web-download');
const REPLAY_SCRIPT = new URL('./fixtures/replay-history.ts', import.meta.url);
const dir = mkdtempSync(join(tmpdir(), 'strata-import-'));
let h: ImageHarness;
let imports: ImageImports;
let source: Server;
let sourceUrl = '';
let qcow2: Buffer;
let flakyRequests = 0;
let worker: Worker;
let running: Promise<void>;
let workerConnection: NativeConnection;
let clientConnection: Connection;

function serve(): Promise<Server> {
  const server = createServer((request, response) => {
    const path = request.url ?? '';
    if (path === '/disk.qcow2') return response.end(qcow2);
    if (path === '/raw.bin') return response.end(Buffer.alloc(8192, 3));
    if (path === '/flaky.qcow2') {
      flakyRequests += 1;
      if (flakyRequests === 1) return response.writeHead(503).end('try later');
      return response.end(qcow2);
    }
    if (path === '/missing') return response.writeHead(404).end();
    if (path === '/to-other-loopback') return response.writeHead(302, { location: `http://127.0.0.2:${(server.address() as AddressInfo).port}/disk.qcow2` }).end();
    return response.writeHead(404).end();
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

beforeAll(async () => {
  await execa('qemu-img', ['create', '-q', '-f', 'qcow2', join(dir, 'disk.qcow2'), '48M']);
  qcow2 = readFileSync(join(dir, 'disk.qcow2'));
  source = await serve();
  sourceUrl = `http://127.0.0.1:${(source.address() as AddressInfo).port}`;
  h = await openImageHarness({ images: { imageSizeCapBytes: 1024 * 1024 } });
  const { commands, data, store } = h.api.services.image;
  const address = inject('temporalAddress');
  workerConnection = await NativeConnection.connect({ address });
  clientConnection = await Connection.connect({ address });
  worker = await Worker.create({
    connection: workerConnection,
    taskQueue,
    workflowsPath,
    activities: createImageImportActivities({ events: h.api.context.events, store, webDownloadAllowList: ['127.0.0.1'] }),
  });
  running = worker.run();
  imports = new ImageImports({ commands, data, store, temporal: new Client({ connection: clientConnection }), taskQueue });
}, 120_000);
afterAll(async () => {
  worker.shutdown();
  await running;
  await workerConnection.close();
  await clientConnection.close();
  await h.close();
  source.close();
});

async function importAndWait(imageId: string, method: 'web-download' | 'glance-direct', uri?: string): Promise<unknown> {
  await imports.start(imageId, method, uri, requestMetadata(null, 'import-test'));
  const handle = new Client({ connection: clientConnection }).workflow.getHandle(imageImportWorkflowId(imageId));
  return handle.result().catch((error: unknown) => error);
}

async function imageOnceSettled(imageId: string): Promise<Record<string, unknown>> {
  let image: Record<string, unknown> = {};
  await waitUntil(`image ${imageId} to leave importing`, async () => {
    image = (await h.alice.call('GET', `/v2/images/${imageId}`)).json();
    return image.status !== 'importing';
  }, { timeoutMs: 10_000 });
  return image;
}

const storedFiles = () => ['images', 'staging', 'partial'].flatMap((area) => readdirSync(join(h.api.services.image.store.root, area)).map((name) => `${area}/${name}`));

describe('web-download', { timeout: 120_000 }, () => {
  it('downloads, verifies, stores and activates', async () => {
    const { id } = await createImage(h.alice, { disk_format: 'qcow2' });
    expect(await importAndWait(id, 'web-download', `${sourceUrl}/disk.qcow2`)).toBe('active');
    expect(await imageOnceSettled(id)).toMatchObject({
      status: 'active',
      size: qcow2.length,
      virtual_size: 48 * 1024 * 1024,
      checksum: createHash('md5').update(qcow2).digest('hex'),
      os_hash_value: createHash('sha512').update(qcow2).digest('hex'),
    });
    const download = await h.alice.call('GET', `/v2/images/${id}/file`);
    expect(download.rawPayload.equals(qcow2)).toBe(true);
    const history = h.api.context.readModel.prepare('SELECT type, workflow_id, activity FROM audit_history WHERE stream = ? ORDER BY position').all(`image-${id}`);
    expect(history).toEqual([
      expect.objectContaining({ type: 'ImageCreated.v1', workflow_id: null }),
      expect.objectContaining({ type: 'ImageImportStarted.v1', workflow_id: null }),
      expect.objectContaining({ type: 'ImageActivated.v1', workflow_id: imageImportWorkflowId(id), activity: 'activateImage' }),
    ]);
  });

  it('replays its own history and the saved one (determinism across code changes)', async () => {
    const { id } = await createImage(h.alice, { disk_format: 'qcow2' });
    expect(await importAndWait(id, 'web-download', `${sourceUrl}/disk.qcow2`)).toBe('active');
    const history = await new Client({ connection: clientConnection }).workflow.getHandle(imageImportWorkflowId(id)).fetchHistory();
    const encoded = temporal.api.history.v1.History.encode(history).finish();
    const fresh = join(dir, 'fresh-history.pb');
    writeFileSync(fresh, encoded);
    saveHistory('imageImport', 'web-download', history);
    for (const file of [fresh, SAVED_HISTORY]) {
      const replay = await execa('node', ['--import', 'tsx', fileURLToPath(REPLAY_SCRIPT), file], { reject: false });
      expect(replay.exitCode, `${file}: ${replay.stderr}`).toBe(0);
    }
  }, 120_000);

  it('retries a transient server error', async () => {
    const { id } = await createImage(h.alice, { disk_format: 'qcow2' });
    expect(await importAndWait(id, 'web-download', `${sourceUrl}/flaky.qcow2`)).toBe('active');
    expect(flakyRequests).toBe(2);
  });

  it.each([
    ['a loopback address not on the allow-list', 'http://127.0.0.2:9/disk.qcow2', /not a public address/],
    ['a redirect to a loopback address not on the allow-list', '/to-other-loopback', /not a public address/],
    ['the link-local metadata service', 'http://169.254.169.254/latest/meta-data', /not a public address/],
    ['a private network', 'http://10.0.0.1/disk.qcow2', /not a public address/],
    ['the IPv6 loopback address', 'http://[::1]:9/disk.qcow2', /not a public address/],
    ['an IPv4-mapped IPv6 private address', 'http://[::ffff:10.0.0.1]/disk.qcow2', /not a public address/],
    ['data of another format', '/raw.bin', /does not match disk_format qcow2/],
    ['a source that is not there', '/missing', /HTTP 404/],
  ])('refuses %s: the image goes back to queued with nothing kept', async (_label, uri, reason) => {
    const before = storedFiles();
    const { id } = await createImage(h.alice, { disk_format: 'qcow2' });
    const outcome = await importAndWait(id, 'web-download', uri.startsWith('/') ? `${sourceUrl}${uri}` : uri);
    expect(outcome).toBeInstanceOf(WorkflowFailedError);
    const failed = (await h.api.context.events.readStream(`image-${id}`)).at(-1);
    expect(failed).toMatchObject({ type: 'ImageUploadFailed.v1', data: { reason: expect.stringMatching(reason) as string } });
    expect(await imageOnceSettled(id)).toMatchObject({ status: 'queued', size: null });
    expect(storedFiles()).toEqual(before);
  });

  it('refuses data over the size cap', async () => {
    const { id } = await createImage(h.alice, { disk_format: 'raw' });
    const big = await serveBig();
    try {
      expect(await importAndWait(id, 'web-download', big.url)).toBeInstanceOf(WorkflowFailedError);
      expect(await imageOnceSettled(id)).toMatchObject({ status: 'queued' });
    } finally {
      big.server.close();
    }
  });
});

describe('glance-direct', { timeout: 120_000 }, () => {
  it('stages (uploading), then imports to active', async () => {
    const { id } = await createImage(h.alice, { disk_format: 'qcow2' });
    const staged = await h.alice.call('PUT', `/v2/images/${id}/stage`, { body: qcow2, headers: { 'content-type': 'application/octet-stream' } });
    expect(staged.statusCode).toBe(204);
    expect((await h.alice.call('GET', `/v2/images/${id}`)).json()).toMatchObject({ status: 'uploading', size: null });
    expect(await importAndWait(id, 'glance-direct')).toBe('active');
    expect(await imageOnceSettled(id)).toMatchObject({ status: 'active', size: qcow2.length, checksum: createHash('md5').update(qcow2).digest('hex') });
  });
});

describe('POST /v2/images/{id}/import', () => {
  it('answers 202 with the image importing and the workflow started under its business id', async () => {
    const { id } = await createImage(h.alice, { disk_format: 'qcow2' });
    const response = await h.alice.call('POST', `/v2/images/${id}/import`, { json: { method: { name: 'web-download', uri: `${sourceUrl}/disk.qcow2` } } });
    expect(response.statusCode).toBe(202);
    expect((await h.alice.call('GET', `/v2/images/${id}`)).json()).toMatchObject({ status: 'importing' });
    const handle = new Client({ connection: clientConnection }).workflow.getHandle(imageImportWorkflowId(id));
    const description = await handle.describe();
    expect(description.taskQueue).toBe('control');
    // No worker of this test polls `control`: stop the workflow rather than leave it waiting.
    await handle.terminate('test over');
  });
});

async function serveBig(): Promise<{ server: Server; url: string }> {
  const server = createServer((_request, response) => response.end(Buffer.alloc(2 * 1024 * 1024)));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/big.raw` };
}
