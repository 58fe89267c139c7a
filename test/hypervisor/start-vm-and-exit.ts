// Plays a compute worker that starts a VM and then goes away: starts the VmSpec given
// as JSON in argv[2], prints the VM's handle as JSON and exits.
import { startVm } from '../../hypervisor/vm-process.js';
import type { VmSpec } from '../../hypervisor/vm-spec.js';

async function run(): Promise<void> {
  const spec = JSON.parse(process.argv[2] ?? '') as VmSpec;
  console.log(JSON.stringify(await startVm(spec)));
}

run().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
