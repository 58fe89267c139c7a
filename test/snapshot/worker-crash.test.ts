// Snapshots on a compute worker that runs beside `strata up` (host test-host-2), so the
// test can kill it by its own pid: kill -9 in the middle of a snapshot and a restart → the
// snapshot completes, every step recorded once; a delete during a snapshot → the snapshot
// is cancelled and its image deleted, then the server is deleted; with no QEMU running the
// disk file is copied instead; a snapshot that fails on the host → the image is deleted and
// the server is ACTIVE with no task again. Each run's history must replay (test/histories).
import { Client, Connection } from '@temporalio/client';
import { execa } from 'execa';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { appendFile, copyFile, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { snapshotFile } from '../../activities/snapshot/host-activities.js';
import { adoptVm } from '../../hypervisor/vm-process.js';
import { waitUntil } from '../../runtime/wait.js';
import { guestImages } from '../hypervisor/guest-lab.js';
import { biosGuestDone } from '../hypervisor/guest-report.js';
import { adminClient, createServer, showServer, uploadImage, waitForServer, type ComputeClient } from '../launch-e2e/compute-client.js';
import { startComputeWorker, type ComputeWorker } from '../launch-e2e/compute-worker.js';
import { instanceEvents, layoutOf, qemuProcessesOf, stopAllVms } from '../launch-e2e/launch-lab.js';
import { saveHistory } from '../histories/save.js';
import { startStrata, type RunningStrata } from '../support/strata-up.js';

const HOST = 'test-host-2';
/** Data the guest never reads, after its boot program: the copy and the upload take long enough for a 10 ms poll to land in them. */
const PADDING_BYTES = 96 * 1024 ** 2;

let strata: RunningStrata;
let worker: ComputeWorker | undefined;
let client: ComputeClient;
let work: string;
let baseImageId: string;
let temporal: Client;
const REPLAY_SCRIPT = fileURLToPath(new URL('../images/fixtures/replay-history.ts', import.meta.url));

const startWorker = () => startComputeWorker({ ...strata.env, STRATA_COMPUTE_HOST: HOST }, HOST, client);
const instanceDir = (serverId: string) => layoutOf(strata.dataDir, HOST).instance(serverId).dir;
const eventTypes = async (serverId: string) => (await instanceEvents(strata.dataDir, serverId)).map((event) => event.type);
const snapshotEventTypes = async (serverId: string) => (await eventTypes(serverId)).filter((type) => type.startsWith('InstanceSnapshot'));

async function request(method: string, path: string, body?: unknown): Promise<Response> {
  return fetch(`${strata.apiUrl}${path}`, {
    method,
    headers: { 'x-auth-token': client.token, 'openstack-api-version': 'compute 2.45', ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

async function activeServer(name: string): Promise<string> {
  const id = await createServer(client, { name, imageRef: baseImageId, flavorRef: '1', availabilityZone: `nova:${HOST}` });
  const { server } = await waitForServer(client, id, { timeoutMs: 120_000, pollMs: 250 });
  expect(server.status).toBe('ACTIVE');
  return id;
}

async function createImage(serverId: string, name: string): Promise<{ imageId: string; workflowId: string }> {
  const response = await request('POST', `/compute/v2.1/servers/${serverId}/action`, { createImage: { name } });
  expect(response.status, await response.clone().text()).toBe(202);
  return { imageId: ((await response.json()) as { image_id: string }).image_id, workflowId: `snapshot-${response.headers.get('x-openstack-request-id') ?? ''}` };
}

/** The run must replay against the code as it is now (determinism across changes); saved with STRATA_SAVE_HISTORIES=1. */
async function expectReplayable(workflowId: string, scenario: string): Promise<void> {
  const file = saveHistory('snapshotInstance', scenario, await temporal.workflow.getHandle(workflowId).fetchHistory());
  if (!existsSync(file)) return;
  const replay = await execa('node', ['--import', 'tsx', REPLAY_SCRIPT, file], { reject: false });
  expect(replay.exitCode, `${file}: ${replay.stderr}`).toBe(0);
}

async function imageStatus(imageId: string): Promise<string | 404> {
  const response = await request('GET', `/image/v2/images/${imageId}`);
  if (response.status === 404) return 404;
  return ((await response.json()) as { status: string }).status;
}

/** Waits until the server's `count`-th snapshot has ended. */
async function snapshotEnded(serverId: string, timeoutMs: number, count = 1): Promise<void> {
  const ended = async () => (await eventTypes(serverId)).filter((type) => type === 'InstanceSnapshotEnded.v1').length >= count;
  await waitUntil(`snapshot ${count} of ${serverId} to end`, ended, { timeoutMs, intervalMs: 250 });
}

beforeAll(async () => {
  await execa('bash', [join(import.meta.dirname, '../../scripts/build-guests.sh')], { timeout: 120_000 });
  work = await mkdtemp(join(tmpdir(), 'strata-snapshot-crash-'));
  strata = await startStrata();
  client = await adminClient(strata.apiUrl, strata.adminEnv);
  worker = await startWorker();
  temporal = new Client({ connection: await Connection.connect({ address: `127.0.0.1:${strata.env.STRATA_TEMPORAL_DEV_SERVER_PORT ?? ''}` }) });
  const image = join(work, 'bios-padded.raw');
  await copyFile(guestImages.biosRaw, image);
  // Random, so neither the copy nor the store can skip it as zeros.
  await appendFile(image, randomBytes(PADDING_BYTES));
  baseImageId = await uploadImage(client, 'padded-bios', image, { strata_boot_marker: biosGuestDone });
}, 300_000);
afterAll(async () => {
  await temporal?.connection.close();
  if (strata) await stopAllVms(strata.dataDir);
  await worker?.stop();
  await strata?.stop();
  if (strata) await rm(strata.dataDir, { recursive: true, force: true });
  if (work) await rm(work, { recursive: true, force: true });
});

describe('snapshots on a compute host that fails', { timeout: 400_000 }, () => {
  it('kill -9 of the compute worker mid-snapshot: after a restart the snapshot completes, each step recorded once', async () => {
    const serverId = await activeServer('crash-snapshot');
    const { imageId, workflowId } = await createImage(serverId, 'crash-snap');
    const copy = snapshotFile(layoutOf(strata.dataDir, HOST), serverId, imageId);
    await waitUntil('the host to start copying the root disk', () => Promise.resolve(existsSync(copy)), { timeoutMs: 60_000, intervalMs: 10 });
    await worker!.kill9();
    expect(await snapshotEventTypes(serverId), 'the kill landed after the snapshot had ended').not.toContain('InstanceSnapshotEnded.v1');
    worker = await startWorker();

    // The step's retry waits out its 15 s heartbeat timeout.
    await snapshotEnded(serverId, 200_000);
    expect(await imageStatus(imageId)).toBe('active');
    const image = (await (await request('GET', `/image/v2/images/${imageId}`)).json()) as Record<string, unknown>;
    expect(image).toMatchObject({ instance_uuid: serverId, disk_format: 'qcow2', virtual_size: 1024 ** 3 });
    expect(image.size as number).toBeGreaterThan(PADDING_BYTES);
    const events = await instanceEvents(strata.dataDir, serverId);
    expect(new Set(events.map((event) => event.id)).size).toBe(events.length);
    expect(await snapshotEventTypes(serverId)).toEqual(['InstanceSnapshotStarted.v1', 'InstanceSnapshotCaptured.v1', 'InstanceSnapshotUploading.v1', 'InstanceSnapshotEnded.v1']);
    const server = await showServer(client, serverId);
    expect([server.status, server['OS-EXT-STS:task_state']]).toEqual(['ACTIVE', null]);
    expect(qemuProcessesOf(serverId)).toHaveLength(1);
    expect((await readdir(instanceDir(serverId))).filter((name) => name.startsWith('snapshot-'))).toEqual([]);
    await expectReplayable(workflowId, 'worker-killed-mid-snapshot');
  });

  it('a delete during a snapshot cancels it: the image is deleted, then the server', async () => {
    const serverId = await activeServer('delete-snapshot');
    const { imageId, workflowId } = await createImage(serverId, 'deleted-snap');
    expect((await request('DELETE', `/compute/v2.1/servers/${serverId}`)).status).toBe(204);

    await waitUntil('the server to be deleted', async () => (await request('GET', `/compute/v2.1/servers/${serverId}`)).status === 404, { timeoutMs: 120_000, intervalMs: 250 });
    expect(await imageStatus(imageId)).toBe(404);
    const types = await eventTypes(serverId);
    // The snapshot ended (failed: cancelled) before the host removed the instance.
    expect(types.indexOf('InstanceSnapshotEnded.v1')).toBeGreaterThan(types.indexOf('InstanceDeleting.v1'));
    expect(types.indexOf('InstanceSnapshotEnded.v1')).toBeLessThan(types.indexOf('InstanceDestroyed.v1'));
    expect(types).not.toContain('InstanceSnapshotUploading.v1');
    expect(types.at(-1)).toBe('InstanceDeleted.v1');
    expect(existsSync(instanceDir(serverId))).toBe(false);
    expect(qemuProcessesOf(serverId)).toEqual([]);
    expect((await temporal.workflow.getHandle(workflowId).describe()).status.name).toBe('CANCELLED');
    await expectReplayable(workflowId, 'cancelled-by-delete');
  });

  it('without QEMU the disk file is copied; a snapshot that fails on the host deletes its image and leaves the server ACTIVE with no task', async () => {
    const serverId = await activeServer('failed-snapshot');
    // The guest's QEMU gone behind strata's back: the quiet disk file is converted instead.
    const vm = await adoptVm(instanceDir(serverId));
    process.kill(vm!.pid, 'SIGKILL');
    await waitUntil('QEMU to exit', () => Promise.resolve(qemuProcessesOf(serverId).length === 0), { timeoutMs: 10_000, intervalMs: 50 });
    const copied = await createImage(serverId, 'offline-snap');
    await snapshotEnded(serverId, 60_000);
    expect(await imageStatus(copied.imageId)).toBe('active');

    // Then its disk gone too: nothing to copy.
    await rm(layoutOf(strata.dataDir, HOST).instance(serverId).rootDisk);
    const { imageId, workflowId } = await createImage(serverId, 'failed-snap');
    await snapshotEnded(serverId, 60_000, 2);
    expect(await imageStatus(imageId)).toBe(404);
    expect((await snapshotEventTypes(serverId)).slice(4)).toEqual(['InstanceSnapshotStarted.v1', 'InstanceSnapshotEnded.v1']);
    const server = await showServer(client, serverId);
    expect([server.status, server['OS-EXT-STS:task_state']]).toEqual(['ACTIVE', null]);
    expect((await readdir(instanceDir(serverId))).filter((name) => name.startsWith('snapshot-'))).toEqual([]);
    await expectReplayable(workflowId, 'failed-on-host');
  });
});
