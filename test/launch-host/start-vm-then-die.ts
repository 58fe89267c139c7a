// Plays a compute worker that runs the startVm activity and is killed (the test sends
// SIGKILL once QEMU has written its pidfile). argv: host directory, event store file,
// the launch step and the instance request as JSON.
import { MockActivityEnvironment } from '@temporalio/testing';
import type { LaunchStep } from '../../activities/launch/contract.js';
import { createHostLaunchActivities } from '../../activities/launch/host.js';
import { hostLayout } from '../../activities/launch/host-layout.js';
import { ImageCache } from '../../activities/launch/image-cache.js';
import type { InstanceRequest } from '../../domain/compute/instance.js';
import { strataEventSchemas } from '../../domain/event-registry.js';
import { openSqliteEventStore } from '../../eventstore/sqlite/index.js';
import { resolveAccelerator } from '../../hypervisor/accelerator.js';
import { defaultOvmfPaths } from '../../hypervisor/firmware.js';

async function run(): Promise<void> {
  const [hostDir = '', eventsPath = '', step = '', request = ''] = process.argv.slice(2);
  const events = openSqliteEventStore({ path: eventsPath, schemas: strataEventSchemas() });
  const activities = createHostLaunchActivities({
    host: 'lab-host',
    events,
    cache: new ImageCache({ layout: hostLayout(hostDir), source: { open: async () => null } }),
    vm: { accelerator: resolveAccelerator('auto'), ovmf: defaultOvmfPaths },
    bootTimeoutSeconds: 20,
    ephemeral: { clear: 'zero', encrypt: false },
  });
  await new MockActivityEnvironment().run(activities.startVm, JSON.parse(step) as LaunchStep, JSON.parse(request) as InstanceRequest);
  await events.close();
}

run().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
