// QEMU outlives `strata up` (a worker restart must not kill guests), so an e2e test that
// fails half-way stops the guests it started itself.
import { join } from 'node:path';
import { hostLayout } from '../../activities/launch/host-layout.js';
import { adoptVm, stopVm } from '../../hypervisor/vm-process.js';

/** Stops each server's QEMU on `host` under `dataDir`, if it still runs. */
export async function stopServerVms(dataDir: string, serverIds: readonly string[], host = 'test-host'): Promise<void> {
  const layout = hostLayout(join(dataDir, 'hosts', host));
  for (const id of serverIds) {
    const vm = await adoptVm(layout.instance(id).dir);
    if (vm) await stopVm(vm);
  }
}
