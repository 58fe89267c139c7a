// Twenty launches of one uncached image at once, across two compute hosts on this machine
// (the compute worker of `strata up` plus a second one): sized so neither host holds all
// twenty, every one must reach ACTIVE, each host must have cached the image once — the
// first by linking the store's file, the second (set to copy) by downloading it — and the
// hosts' claims must add up to the flavors launched.
import { execa } from 'execa';
import { rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readBaseInfo } from '../../activities/launch/base-info.js';
import { guestImages } from '../hypervisor/guest-lab.js';
import { startStrata, type RunningStrata } from '../support/strata-up.js';
import { adminClient, createServer, hypervisors, uploadImage, waitForServer, type ComputeClient } from './compute-client.js';
import { startComputeWorker, type ComputeWorker } from './compute-worker.js';
import { cachedBases, instanceEvents, layoutOf, runningVms, stopAllVms } from './launch-lab.js';

const LAUNCHES = 20;
const HOSTS = ['test-host', 'test-host-2'];
/** m1.tiny */
const FLAVOR = { ref: '1', vcpus: 1, ramMb: 512, diskGb: 1 };

let strata: RunningStrata;
let second: ComputeWorker | undefined;
let client: ComputeClient;

beforeAll(async () => {
  await execa('bash', [join(import.meta.dirname, '../../scripts/build-guests.sh')], { timeout: 120_000 });
  // Allocation ratio 6 on 2 cores = 12 vCPUs a host: twenty 1-vCPU launches need both hosts.
  strata = await startStrata({ STRATA_COMPUTE_CPU_ALLOCATION_RATIO: '6' });
  client = await adminClient(strata.apiUrl, strata.adminEnv);
  // Linking the store's file from both hosts would change its ctime under the other's recorded fingerprint (a re-hash).
  second = await startComputeWorker({ ...strata.env, STRATA_COMPUTE_HOST: HOSTS[1]!, STRATA_COMPUTE_IMAGE_CACHE_LINKS_STORE_FILES: 'false' }, HOSTS[1]!, client);
}, 300_000);
afterAll(async () => {
  if (strata) await stopAllVms(strata.dataDir);
  await second?.stop();
  await strata?.stop();
  if (strata) await rm(strata.dataDir, { recursive: true, force: true });
});

describe('concurrent launches across two compute hosts', { timeout: 300_000 }, () => {
  it('all twenty reach ACTIVE, one download per host, claims equal to the flavors', async () => {
    const capacity = (await hypervisors(client)).filter((row) => HOSTS.includes(row.hypervisor_hostname as string));
    expect(capacity.map((row) => [row.hypervisor_hostname, row.state, row.vcpus_used]).sort()).toEqual(HOSTS.map((host) => [host, 'up', 0]));
    const vcpusPerHost = Math.min(...capacity.map((row) => (row.vcpus as number) * 6));
    expect(LAUNCHES).toBeGreaterThan(vcpusPerHost);
    expect(LAUNCHES).toBeLessThanOrEqual(2 * vcpusPerHost);

    const imageId = await uploadImage(client, 'concurrent', guestImages.biosRaw, { strata_boot_marker: 'STRATA-GUEST-DONE' });
    const ids = await Promise.all(Array.from({ length: LAUNCHES }, (_, i) => createServer(client, { name: `concurrent-${i}`, imageRef: imageId, flavorRef: FLAVOR.ref })));
    const servers = await Promise.all(ids.map(async (id) => (await waitForServer(client, id, { timeoutMs: 240_000, pollMs: 500 })).server));
    expect(servers.map((server) => [server.status, server.fault])).toEqual(ids.map(() => ['ACTIVE', undefined]));

    const hostOf = new Map(servers.map((server) => [server.id, server['OS-EXT-SRV-ATTR:host'] as string]));
    const perHost = HOSTS.map((host) => [...hostOf.values()].filter((value) => value === host).length);
    expect(perHost.every((count) => count > 0 && count <= vcpusPerHost)).toBe(true);
    expect((await runningVms(strata.dataDir)).length).toBe(LAUNCHES);

    for (const host of HOSTS) {
      const layout = layoutOf(strata.dataDir, host);
      expect(cachedBases(strata.dataDir, host)).toEqual([layout.base(imageId).name]);
      // Cached once: the base was verified (and linked or written) before this host's first root disk, never again.
      const info = await readBaseInfo(layout.base(imageId).info);
      expect(info?.imageId).toBe(imageId);
      const rootDisksAt = await Promise.all(
        [...hostOf].filter(([, value]) => value === host).map(async ([id]) => (await instanceEvents(strata.dataDir, id)).find((event) => event.type === 'RootDiskCreated.v1')!.timestamp),
      );
      expect(Date.parse(info!.verifiedAt)).toBeLessThanOrEqual(Math.min(...rootDisksAt.map((at) => Date.parse(at))));
    }
    const [linked, copied] = await Promise.all(HOSTS.map(async (host) => (await stat(layoutOf(strata.dataDir, host).base(imageId).file)).nlink));
    expect([linked, copied]).toEqual([2, 1]);

    const used = (await hypervisors(client)).filter((row) => HOSTS.includes(row.hypervisor_hostname as string));
    expect(Object.fromEntries(used.map((row) => [row.hypervisor_hostname, [row.vcpus_used, row.memory_mb_used, row.local_gb_used, row.running_vms]]))).toEqual(
      Object.fromEntries(HOSTS.map((host, i) => [host, [perHost[i]! * FLAVOR.vcpus, perHost[i]! * FLAVOR.ramMb, perHost[i]! * FLAVOR.diskGb, perHost[i]]])),
    );
  });
});
