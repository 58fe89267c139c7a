// Shared by the launch e2e files: the hosts' layouts under a `strata up` data dir, the
// QEMU processes those hosts started (found by their pidfiles, since server delete is not
// served yet), hashing, and an instance's stream read straight from the event store.
import { createHash } from 'node:crypto';
import { createReadStream, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { hostLayout, type HostLayout } from '../../activities/launch/host-layout.js';
import { strataEventSchemas } from '../../domain/event-registry.js';
import { openSqliteEventStore } from '../../eventstore/sqlite/index.js';
import { adoptVm, stopVm, type VmHandle } from '../../hypervisor/vm-process.js';

export function layoutOf(dataDir: string, host: string): HostLayout {
  return hostLayout(join(dataDir, 'hosts', host));
}

function entries(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

/** Every running QEMU started for an instance of any host under dataDir. */
export async function runningVms(dataDir: string): Promise<VmHandle[]> {
  const vms: VmHandle[] = [];
  for (const host of entries(join(dataDir, 'hosts'))) {
    const layout = layoutOf(dataDir, host);
    for (const instance of entries(layout.instancesDir)) {
      const vm = await adoptVm(layout.instance(instance).dir);
      if (vm) vms.push(vm);
    }
  }
  return vms;
}

export async function stopAllVms(dataDir: string): Promise<void> {
  for (const vm of await runningVms(dataDir)) await stopVm(vm);
}

export function hashFile(path: string, algorithm: 'sha256' | 'sha512'): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash(algorithm);
    createReadStream(path)
      .on('data', (chunk) => hash.update(chunk))
      .on('error', reject)
      .on('end', () => resolve(hash.digest('hex')));
  });
}

/** Base files (not their sidecars) in a host's image cache. */
export function cachedBases(dataDir: string, host: string): string[] {
  return entries(layoutOf(dataDir, host).baseDir).filter((name) => /^[0-9a-f]{40}$/.test(name));
}

export interface RecordedEvent {
  id: string;
  type: string;
  timestamp: string;
}

export async function instanceEvents(dataDir: string, instanceId: string): Promise<RecordedEvent[]> {
  const store = openSqliteEventStore({ path: join(dataDir, 'events.db'), schemas: strataEventSchemas() });
  try {
    const events = await store.readStream(`instance-${instanceId}`);
    return events.map((event) => ({ id: event.id, type: event.type, timestamp: event.metadata.timestamp }));
  } finally {
    await store.close();
  }
}

/** QEMU processes started for this instance id (its -uuid), wherever their pidfiles are. */
export function qemuProcessesOf(instanceId: string): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((pid) => {
      try {
        const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
        return argv[0]?.endsWith('qemu-system-x86_64') === true && argv[argv.indexOf('-uuid') + 1] === instanceId;
      } catch {
        return false;
      }
    })
    .map(Number);
}
