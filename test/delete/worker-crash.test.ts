// kill -9 of a compute worker in the middle of a delete, then a fresh worker for the same
// host: the delete finishes — no QEMU, no instance directory, the host's capacity back,
// the instance DELETED with every event recorded once. The killed worker runs beside
// `strata up` (host test-host-2, forced with `nova:test-host-2`), so the test can kill
// and restart it by its own pid; the kill lands while the host's destroyInstance runs
// (the BIOS guest ignores the ACPI power button, so QEMU outlives the first second of it).
import { Client, Connection } from '@temporalio/client';
import proto from '@temporalio/proto';
import { execa } from 'execa';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitUntil } from '../../runtime/wait.js';
import { guestImages } from '../hypervisor/guest-lab.js';
import { biosGuestDone } from '../hypervisor/guest-report.js';
import { adminClient, createServer, hypervisors, uploadImage, waitForServer, type ComputeClient } from '../launch-e2e/compute-client.js';
import { startComputeWorker, type ComputeWorker } from '../launch-e2e/compute-worker.js';
import { instanceEvents, layoutOf, stopAllVms } from '../launch-e2e/launch-lab.js';
import { openstack } from '../support/openstack.js';
import { startStrata, type RunningStrata } from '../support/strata-up.js';
import { processesOf } from './instance-processes.js';

const HOST = 'test-host-2';

let strata: RunningStrata;
let worker: ComputeWorker | undefined;
let client: ComputeClient;
let connection: Connection | undefined;
let imageId: string;

const startWorker = () => startComputeWorker({ ...strata.env, STRATA_COMPUTE_HOST: HOST }, HOST, client);

beforeAll(async () => {
  await execa('bash', [join(import.meta.dirname, '../../scripts/build-guests.sh')], { timeout: 120_000 });
  strata = await startStrata();
  client = await adminClient(strata.apiUrl, strata.adminEnv);
  connection = await Connection.connect({ address: `127.0.0.1:${strata.env.STRATA_TEMPORAL_DEV_SERVER_PORT}` });
  worker = await startWorker();
  imageId = await uploadImage(client, 'bios-guest', guestImages.biosRaw, { strata_boot_marker: biosGuestDone });
}, 300_000);
afterAll(async () => {
  if (strata) await stopAllVms(strata.dataDir);
  await worker?.stop();
  await connection?.close();
  await strata?.stop();
});

/** What os-hypervisors says HOST has given out. */
async function usageOfHost(): Promise<Record<string, unknown>> {
  const row = (await hypervisors(client)).find((entry) => entry.hypervisor_hostname === HOST);
  return { vcpus_used: row?.vcpus_used, memory_mb_used: row?.memory_mb_used, local_gb_used: row?.local_gb_used, running_vms: row?.running_vms };
}

describe('a compute worker killed mid-delete', () => {
  it('while destroyInstance runs: the restarted worker finishes the delete', { timeout: 300_000 }, async () => {
    const before = await usageOfHost();
    const id = await createServer(client, { name: 'crash-delete', imageRef: imageId, flavorRef: '1', availabilityZone: `nova:${HOST}` });
    const { server } = await waitForServer(client, id, { timeoutMs: 120_000, pollMs: 250 });
    expect(server.status).toBe('ACTIVE');
    expect(await processesOf(id)).toHaveLength(1);
    const paths = layoutOf(strata.dataDir, HOST).instance(id);

    const deleting = await openstack(strata.adminEnv, ['server', 'delete', id]);
    expect(deleting.exitCode, deleting.stderr).toBe(0);
    const handle = new Client({ connection: connection! }).workflow.getHandle(`delete-${id}`);
    const destroying = async () =>
      (await handle.describe().catch(() => undefined))?.raw.pendingActivities?.some((activity) => activity.activityType?.name === 'destroyInstance' && activity.state === proto.temporal.api.enums.v1.PendingActivityState.PENDING_ACTIVITY_STATE_STARTED) ?? false;
    await waitUntil('the host to start destroying the instance', destroying, { timeoutMs: 60_000, intervalMs: 20 });
    await worker!.kill9();
    const killedAt = performance.now();
    expect(await processesOf(id), 'the kill landed after QEMU had stopped').toHaveLength(1);
    expect(await stat(paths.dir).catch(() => null)).not.toBeNull();
    worker = await startWorker();

    // destroyInstance heartbeats: the killed attempt is retried after its 30 s heartbeat timeout, not its 2-minute start-to-close.
    await waitUntil('the delete to finish', async () => (await handle.describe()).status.name !== 'RUNNING', { timeoutMs: 90_000, intervalMs: 500 });
    expect((await handle.describe()).status.name).toBe('COMPLETED');
    console.log(`delete finished ${((performance.now() - killedAt) / 1000).toFixed(1)} s after the worker was killed`);
    const shown = await openstack(strata.adminEnv, ['server', 'show', id]);
    expect(shown.exitCode).not.toBe(0);
    expect(await processesOf(id)).toEqual([]);
    expect(await stat(paths.dir).catch(() => null)).toBeNull();
    expect(await usageOfHost()).toEqual(before);
    const events = await instanceEvents(strata.dataDir, id);
    expect(new Set(events.map((event) => event.id)).size).toBe(events.length);
    expect(events.map((event) => event.type)).toEqual([
      'InstanceRequested.v1', 'InstanceScheduled.v1', 'RootDiskCreated.v1', 'InstanceSpawning.v1', 'VmStarted.v1', 'InstanceBooted.v1',
      'InstanceDeleting.v1', 'InstanceDestroyed.v1', 'InstanceDeleted.v1',
    ]);
  });
});
