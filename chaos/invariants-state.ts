// Invariants checked through the API and the machine once the system is quiet: every
// resource reached a terminal state, every uploaded image gives back its bytes, and
// nothing on the hosts (QEMU, instance directories, cache downloads, volume files,
// iSCSI exports) lacks an owner.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tgtdFiles } from '../storage/tgt/tgtd-files.js';
import { showTargets } from '../storage/tgt/tgtadm-args.js';
import { parseTargetListing } from '../storage/tgt/target-listing.js';
import { tgtadm } from '../storage/tgt/tgtadm.js';
import type { ChaosClient } from './client.js';
import type { Violation } from './invariants-log.js';
import { resourcePath, type OperationRecord } from './operations.js';
import type { Topology } from './topology.js';

export interface ServerView {
  id: string;
  name: string;
  status: string;
  host: string | undefined;
}

export interface SystemView {
  servers: ServerView[];
  images: Array<{ id: string; name: string | null; status: string; os_hash_value: string | null }>;
  volumes: Array<{ id: string; name: string | null; status: string }>;
}

const TERMINAL = {
  server: ['ACTIVE', 'ERROR', 'SHUTOFF'],
  image: ['active', 'queued', 'deactivated'],
  volume: ['available', 'in-use', 'error'],
};

export async function readSystem(client: ChaosClient): Promise<SystemView> {
  const servers = (await client.call('GET', '/compute/v2.1/servers/detail?all_tenants=1&limit=1000')).json<{ servers: Array<Record<string, unknown>> }>().servers;
  const images = (await client.call('GET', '/image/v2/images?limit=1000')).json<{ images: SystemView['images'] }>().images;
  const volumes = (await client.call('GET', `/volume/v3/${client.projectId}/volumes/detail?all_tenants=1&limit=1000`)).json<{ volumes: SystemView['volumes'] }>().volumes;
  return {
    servers: servers.map((server) => ({
      id: String(server.id),
      name: String(server.name),
      status: String(server.status),
      host: server['OS-EXT-SRV-ATTR:host'] as string | undefined,
    })),
    images,
    volumes,
  };
}

/** Whether every resource settled: used to wait for quiesce and, at the end, as an invariant. */
export function unsettled(system: SystemView): string[] {
  return [
    ...system.servers.filter((server) => !TERMINAL.server.includes(server.status)).map((server) => `server ${server.name} ${server.id} is ${server.status}`),
    ...system.images.filter((image) => !TERMINAL.image.includes(image.status)).map((image) => `image ${image.name} ${image.id} is ${image.status}`),
    ...system.volumes.filter((volume) => !TERMINAL.volume.includes(volume.status)).map((volume) => `volume ${volume.name} ${volume.id} is ${volume.status}`),
  ];
}

/** Deleted resources are gone (the rest of the terminal-state check is settle()'s leftovers). */
export async function checkDeletedAreGone(client: ChaosClient, records: readonly OperationRecord[]): Promise<Violation[]> {
  const violations: Violation[] = [];
  for (const record of records) {
    for (const { resource, id } of record.deleted ?? []) {
      const response = await client.call('GET', resourcePath(client, resource, id));
      if (response.status !== 404) violations.push({ invariant: 'every operation reached a terminal state', detail: `${record.name}: ${resource} ${id} was deleted, yet GET answers ${response.status}` });
    }
  }
  return violations;
}

/** Every image the workload uploaded that is active gives back exactly its bytes. */
export async function checkImageData(client: ChaosClient, system: SystemView, records: readonly OperationRecord[]): Promise<{ verified: number; violations: Violation[] }> {
  const violations: Violation[] = [];
  let verified = 0;
  for (const record of records) {
    const image = system.images.find((candidate) => candidate.id === record.id);
    if (!record.sha512 || !image || image.status !== 'active') continue;
    const response = await fetch(`${client.apiUrl}/image/v2/images/${image.id}/file`, { headers: { 'x-auth-token': await client.currentToken() } });
    const digest = createHash('sha512').update(Buffer.from(await response.arrayBuffer())).digest('hex');
    verified += 1;
    if (response.status !== 200 || digest !== record.sha512 || image.os_hash_value !== record.sha512) {
      violations.push({ invariant: 'no image data lost or corrupted', detail: `${record.name} ${image.id}: status ${response.status}, data ${digest === record.sha512 ? 'intact' : 'differs'}, os_hash_value ${image.os_hash_value === record.sha512 ? 'matches' : 'differs'}` });
    }
  }
  return { verified, violations };
}

function entries(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

/** QEMU processes whose pidfile lies under dataDir, with the instance id they were started for. */
export function qemuProcessesUnder(dataDir: string): Array<{ pid: number; instanceId: string; runDir: string }> {
  return entries('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .flatMap((pid) => {
      try {
        const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
        const pidFile = argv[argv.indexOf('-pidfile') + 1] ?? '';
        if (!argv[0]?.endsWith('qemu-system-x86_64') || !pidFile.startsWith(`${dataDir}/`)) return [];
        return [{ pid: Number(pid), instanceId: argv[argv.indexOf('-uuid') + 1] ?? '', runDir: pidFile.slice(0, pidFile.lastIndexOf('/')) }];
      } catch {
        return [];
      }
    });
}

export async function checkOrphans(topology: Topology, system: SystemView): Promise<Violation[]> {
  const violations: Violation[] = [];
  const orphan = (detail: string) => violations.push({ invariant: 'nothing without an owner', detail });
  const active = new Map(system.servers.filter((server) => server.status === 'ACTIVE').map((server) => [server.id, server]));
  const qemus = qemuProcessesUnder(topology.dataDir);
  for (const qemu of qemus) {
    const owner = active.get(qemu.instanceId);
    if (!owner || !qemu.runDir.includes(`/hosts/${owner.host}/`)) orphan(`QEMU pid ${qemu.pid} for instance ${qemu.instanceId} (${owner ? `ACTIVE on ${owner.host}` : 'not ACTIVE'})`);
  }
  for (const server of active.values()) {
    const count = qemus.filter((qemu) => qemu.instanceId === server.id).length;
    if (count !== 1) orphan(`ACTIVE server ${server.name} ${server.id} has ${count} QEMU processes`);
  }
  const owned = new Set(system.servers.map((server) => server.id));
  for (const host of entries(join(topology.dataDir, 'hosts'))) {
    for (const instance of entries(join(topology.dataDir, 'hosts', host, 'instances'))) {
      if (!owned.has(instance)) orphan(`instance directory hosts/${host}/instances/${instance} of a server that no longer exists`);
    }
    for (const file of entries(join(topology.dataDir, 'hosts', host, '_base')).filter((name) => name.endsWith('.part') || name.endsWith('.linked'))) orphan(`cache download left behind: hosts/${host}/_base/${file}`);
  }
  for (const file of entries(join(topology.dataDir, 'images', 'partial'))) orphan(`image upload left behind: images/partial/${file}`);
  const volumes = new Set(system.volumes.map((volume) => volume.id));
  const volumesDir = join(topology.dataDir, 'volumes', topology.storageNode);
  for (const file of entries(volumesDir).filter((name) => name.endsWith('.raw'))) {
    if (!volumes.has(file.slice(0, -'.raw'.length))) orphan(`volume file ${file} of a volume that no longer exists`);
  }
  const inUse = new Set(system.volumes.filter((volume) => volume.status === 'in-use').map((volume) => volume.id));
  const tgtd = topology.parts.find((part) => part.kind === 'tgtd');
  if (tgtd?.pid() !== undefined) {
    const listing = await tgtadm({ ipcSocket: tgtdFiles(join(volumesDir, '.tgt')).ipcSocket }, showTargets());
    for (const target of parseTargetListing(listing)) {
      if (![...inUse].some((id) => target.iqn.endsWith(`volume-${id}`))) orphan(`iSCSI export ${target.iqn} of a volume that is not in use`);
    }
  }
  return violations;
}
