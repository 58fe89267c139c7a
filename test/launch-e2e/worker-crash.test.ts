// kill -9 of a compute worker in the middle of a launch, then a fresh worker for the same
// host: the launch finishes ACTIVE with one QEMU for the instance and no event recorded
// twice. The killed worker runs beside `strata up` (host test-host-2, forced with
// `nova:test-host-2`), so the test can kill and restart it by its own pid.
import { execa } from 'execa';
import { existsSync } from 'node:fs';
import { copyFile, mkdtemp, rm, truncate } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitUntil } from '../../runtime/wait.js';
import { guestImages } from '../hypervisor/guest-lab.js';
import { biosGuestDone } from '../hypervisor/guest-report.js';
import { startStrata, type RunningStrata } from '../support/strata-up.js';
import { adminClient, createServer, uploadImage, waitForServer, type ComputeClient } from './compute-client.js';
import { startComputeWorker, type ComputeWorker } from './compute-worker.js';
import { instanceEvents, layoutOf, qemuProcessesOf, stopAllVms } from './launch-lab.js';

const HOST = 'test-host-2';
/** Big enough that the download is a window a 10 ms poll can hit. */
const IMAGE_BYTES = 256 * 1024 ** 2;

let strata: RunningStrata;
let worker: ComputeWorker | undefined;
let client: ComputeClient;
let work: string;
let imageId: string;

/** The second host copies images (no links to the store's files), so a launch there downloads into a `.part`. */
const startWorker = () => startComputeWorker({ ...strata.env, STRATA_COMPUTE_HOST: HOST, STRATA_COMPUTE_IMAGE_CACHE_LINKS_STORE_FILES: 'false' }, HOST, client);

beforeAll(async () => {
  await execa('bash', [join(import.meta.dirname, '../../scripts/build-guests.sh')], { timeout: 120_000 });
  work = await mkdtemp(join(tmpdir(), 'strata-worker-crash-'));
  strata = await startStrata();
  client = await adminClient(strata.apiUrl, strata.adminEnv);
  worker = await startWorker();
  // The BIOS guest padded with zeros: boots the same, takes a while to download.
  const image = join(work, 'bios-256m.raw');
  await copyFile(guestImages.biosRaw, image);
  await truncate(image, IMAGE_BYTES);
  imageId = await uploadImage(client, 'padded-bios', image, { strata_boot_marker: biosGuestDone });
}, 300_000);
afterAll(async () => {
  if (strata) await stopAllVms(strata.dataDir);
  await worker?.stop();
  await strata?.stop();
  if (strata) await rm(strata.dataDir, { recursive: true, force: true });
  if (work) await rm(work, { recursive: true, force: true });
});

interface CrashPoint {
  /** True once the launch reached the step the worker is to die in. */
  reached(instanceId: string): Promise<boolean>;
  /** Checked right after the kill: true if the step had not finished yet. */
  unfinished(instanceId: string): Promise<boolean>;
}

/** Launches on the second host, kills its worker inside one step, restarts it, and checks the outcome. */
async function launchThroughACrash(name: string, crash: CrashPoint): Promise<void> {
  const id = await createServer(client, { name, imageRef: imageId, flavorRef: '1', availabilityZone: `nova:${HOST}` });
  await waitUntil(`${name} to reach the step the worker dies in`, () => crash.reached(id), { timeoutMs: 60_000, intervalMs: 10 });
  await worker!.kill9();
  expect(await crash.unfinished(id), 'the kill landed after the step had finished').toBe(true);
  worker = await startWorker();

  // A step's retry waits out its timeout: 30 s heartbeat for the download, 2 min for startVm.
  const { server } = await waitForServer(client, id, { timeoutMs: 200_000, pollMs: 500 });
  expect([server.status, server.fault]).toEqual(['ACTIVE', undefined]);
  expect(server['OS-EXT-SRV-ATTR:host']).toBe(HOST);
  expect(qemuProcessesOf(id)).toHaveLength(1);
  const events = await instanceEvents(strata.dataDir, id);
  expect(new Set(events.map((event) => event.id)).size).toBe(events.length);
  expect(events.map((event) => event.type)).toEqual([
    'InstanceRequested.v1', 'InstanceScheduled.v1', 'RootDiskCreated.v1', 'InstanceSpawning.v1', 'VmStarted.v1', 'InstanceBooted.v1',
  ]);
}

const recorded = async (id: string, type: string) => (await instanceEvents(strata.dataDir, id)).some((event) => event.type === type);

describe('a compute worker killed mid-launch', { timeout: 300_000 }, () => {
  it('during the image download: the restarted worker resumes it and the launch completes', async () => {
    const base = layoutOf(strata.dataDir, HOST).base(imageId);
    await launchThroughACrash('crash-download', {
      reached: () => Promise.resolve(existsSync(base.part)),
      unfinished: () => Promise.resolve(existsSync(base.part) && !existsSync(base.file)),
    });
    expect(existsSync(base.file)).toBe(true);
    expect(existsSync(base.part)).toBe(false);
  });

  it('during startVm: the restarted worker adopts or starts one QEMU and the launch completes', async () => {
    await launchThroughACrash('crash-start', {
      reached: (id) => recorded(id, 'InstanceSpawning.v1'),
      unfinished: async (id) => !(await recorded(id, 'VmStarted.v1')),
    });
  });
});
