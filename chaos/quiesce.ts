// Bringing the system back to rest: wait (bounded) until every part answers again, until
// no lifecycle workflow is still running and every resource has settled; and, at the very
// end, stopping what the run left on the machine (its VMs, its tgtd).
import { Connection, WorkflowClient } from '@temporalio/client';
import { adoptVm, stopVm } from '../hypervisor/vm-process.js';
import { waitForTemporal } from '../runtime/temporal-dev-server.js';
import { waitUntil } from '../runtime/wait.js';
import { adoptTgtd, stopTgtd } from '../storage/tgt/tgtd-process.js';
import { join } from 'node:path';
import type { ChaosClient } from './client.js';
import { qemuProcessesUnder, readSystem, unsettled } from './invariants-state.js';
import type { Topology } from './topology.js';

/** Workflows whose end is the end of an operation (schedules' short runs are left out). */
const LIFECYCLE_WORKFLOWS = ['launchInstance', 'deleteInstance', 'createVolume', 'deleteVolume', 'imageImport', 'attachVolume', 'detachVolume', 'snapshotInstance'];

/** Every part answers: Temporal, the API, and a live heartbeat from each compute host. */
export async function waitUntilReady(topology: Topology, client: ChaosClient, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  await waitForTemporal(topology.temporalAddress, 'default', timeoutMs);
  await waitUntil('the API to be ready', async () => (await fetch(`${topology.apiUrl}/readyz`)).ok, { timeoutMs: Math.max(1_000, deadline - Date.now()), intervalMs: 250 });
  await waitUntil('every compute host to be up', async () => {
    const response = await client.call('GET', '/compute/v2.1/os-hypervisors/detail', { timeoutMs: 5_000 });
    const up = response.json<{ hypervisors: Array<{ hypervisor_hostname: string; state: string }> }>().hypervisors.filter((row) => row.state === 'up');
    return topology.computeHosts.every((host) => up.some((row) => row.hypervisor_hostname === host));
  }, { timeoutMs: Math.max(1_000, deadline - Date.now()), intervalMs: 500 });
}

/** Lifecycle workflows in one of the given execution statuses (`Running`, `Failed`, …). */
export async function lifecycleWorkflows(temporalAddress: string, statuses: readonly string[]): Promise<string[]> {
  const connection = await Connection.connect({ address: temporalAddress, connectTimeout: 2_000 });
  try {
    const workflows = new WorkflowClient({ connection });
    const found: string[] = [];
    const query = statuses.map((status) => `ExecutionStatus="${status}"`).join(' OR ');
    for await (const execution of workflows.list({ query })) {
      if (LIFECYCLE_WORKFLOWS.includes(execution.type)) found.push(`${execution.type} ${execution.workflowId} ${execution.status.name}`);
    }
    return found;
  } finally {
    await connection.close();
  }
}

/** Waits until no lifecycle workflow runs and every resource is terminal; returns what is still moving if time runs out. */
export async function settle(topology: Topology, client: ChaosClient, timeoutMs: number): Promise<string[]> {
  let moving: string[] = [];
  try {
    await waitUntil('every workflow to finish and every resource to settle', async () => {
      moving = [...(await lifecycleWorkflows(topology.temporalAddress, ['Running'])), ...unsettled(await readSystem(client))];
      return moving.length === 0;
    }, { timeoutMs, intervalMs: 2_000 });
    return [];
  } catch {
    return moving;
  }
}

/** Stops the VMs and the tgtd this run's data directory owns (never anything else). */
export async function removeLeftovers(topology: Topology, iscsiPort: number): Promise<void> {
  for (const qemu of qemuProcessesUnder(topology.dataDir)) {
    const vm = await adoptVm(qemu.runDir);
    if (vm) await stopVm(vm);
  }
  const tgtd = await adoptTgtd({ stateDir: join(topology.dataDir, 'volumes', topology.storageNode, '.tgt'), address: '127.0.0.1', port: iscsiPort });
  if (tgtd) await stopTgtd(tgtd);
}
