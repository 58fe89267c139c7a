// The launch workflow end to end on a real Temporal server: the real scheduling
// activities on the control queue, this host's launch activities on `compute.<host>`,
// real QEMU. A good image ends ACTIVE; a guest that never prints its marker ends in
// ERROR after the workflow's compensation removed what the host built; a flavor too
// small for the image is refused without trying another host.
import { randomUUID } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import type { ImageSnapshot, InstanceRequest } from '../../domain/compute/instance.js';
import { instanceStream } from '../../domain/compute/instance.js';
import { adoptVm } from '../../hypervisor/vm-process.js';
import { launchInstance } from '../../workflows/launch.js';
import { CONTROL_TASK_QUEUE } from '../../workflows/task-queues.js';
import { requestInstances } from '../scheduling/support/cluster.js';
import { guestFiles, imageOf, runActivity, tinyFlavor, useHostLab } from './host-lab.js';
import { useLaunchCluster } from './launch-cluster.js';

const lab = useHostLab();

describe('launch workflow on a compute host', () => {
  const host = `lh-${randomUUID().slice(0, 8)}`;
  const files = new Map<string, string>();
  const cluster = useLaunchCluster(lab, { host, files, bootTimeoutSeconds: 3 });

  async function launched(image: ImageSnapshot, flavor: Partial<InstanceRequest['flavor']> = {}) {
    files.set(image.id, guestFiles.biosRaw);
    const [request] = (await requestInstances(cluster.view.events, 1, { image, flavor: { ...tinyFlavor, ...flavor } })) as [InstanceRequest];
    const client = cluster.client();
    const startedAt = performance.now();
    // Bounded: a workflow task that keeps failing would otherwise hang the test.
    const result = await client.workflow.execute(launchInstance, { taskQueue: CONTROL_TASK_QUEUE, workflowId: `launch-${request.instanceId}`, args: [request], workflowExecutionTimeout: '30 seconds' });
    const types = (await cluster.view.events.readStream(instanceStream(request.instanceId))).map((event) => event.type);
    return { request, result, types, ms: Math.round(performance.now() - startedAt) };
  }

  it('launches the BIOS guest to ACTIVE', { timeout: 60_000 }, async () => {
    const { request, result, types, ms } = await launched(await imageOf(guestFiles.biosRaw, 'raw', { properties: { strata_boot_marker: 'STRATA-GUEST-DONE' } }));
    expect(result).toEqual({ status: 'active', host, attempts: 1 });
    expect(types).toEqual(['InstanceRequested.v1', 'InstanceScheduled.v1', 'RootDiskCreated.v1', 'InstanceSpawning.v1', 'VmStarted.v1', 'InstanceBooted.v1']);
    expect(await adoptVm(cluster.layout.instance(request.instanceId).dir)).toBeDefined();
    console.info(`launch workflow, request to ACTIVE (BIOS guest, cold cache): ${ms} ms`);
    await runActivity(cluster.activities.destroyInstance, [lab.step(request.instanceId, 'destroyInstance')]);
  });

  it('ends in ERROR at waitForBoot when the marker never comes, with the host cleaned up', { timeout: 60_000 }, async () => {
    const { request, result, types } = await launched(await imageOf(guestFiles.biosRaw, 'raw', { properties: { strata_boot_marker: 'NEVER-PRINTED' } }));
    expect(result).toMatchObject({ status: 'error', host });
    expect(types.at(-1)).toBe('InstanceLaunchFailed.v1');
    const failed = (await cluster.view.events.readStream(instanceStream(request.instanceId))).at(-1);
    expect(failed?.data).toMatchObject({ step: 'waitForBoot', host, message: expect.stringContaining('NEVER-PRINTED') });
    expect(await adoptVm(cluster.layout.instance(request.instanceId).dir)).toBeUndefined();
    expect(await stat(cluster.layout.instance(request.instanceId).dir).catch(() => null)).toBeNull();
  });

  it('refuses a flavor disk smaller than the image without trying another host', { timeout: 60_000 }, async () => {
    const { request, result } = await launched(await imageOf(guestFiles.biosRaw, 'raw', { minDiskGb: 5 }));
    expect(result).toEqual({ status: 'error', host, attempts: 1 });
    const failed = (await cluster.view.events.readStream(instanceStream(request.instanceId))).at(-1);
    expect(failed?.data).toMatchObject({ step: 'createRootDisk', message: expect.stringContaining('minimum size') });
  });
});
