// `strata up` end to end with the real `openstack` CLI: the compute worker registers its
// host and heartbeats, the API shows it as a hypervisor in its zone, and a launch no host
// can take ends in ERROR with the control worker's scheduler reasons as its fault.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openstack, openstackJson } from '../support/openstack.js';
import { startStrata, type RunningStrata } from '../support/strata-up.js';

let strata: RunningStrata;
const work = mkdtempSync(join(tmpdir(), 'strata-scheduling-e2e-'));

beforeAll(async () => {
  strata = await startStrata({ STRATA_COMPUTE_AVAILABILITY_ZONE: 'zone-e2e', STRATA_COMPUTE_HEARTBEAT_INTERVAL_SECONDS: '2' });
}, 180_000);
afterAll(async () => strata.stop());

describe('scheduling under strata up', { timeout: 180_000 }, () => {
  it('the compute worker’s host is an up, enabled QEMU hypervisor in its zone', async () => {
    const hypervisors = await openstackJson<Array<Record<string, unknown>>>(strata.adminEnv, ['hypervisor', 'list', '--long']);
    expect(hypervisors).toEqual([expect.objectContaining({ 'Hypervisor Hostname': 'test-host', 'Hypervisor Type': 'QEMU', State: 'up', 'vCPUs Used': 0 })]);
    expect(hypervisors[0]?.vCPUs).toBeGreaterThan(0);
    const zones = await openstackJson(strata.adminEnv, ['availability', 'zone', 'list', '--compute']);
    expect(zones).toEqual([{ 'Zone Name': 'zone-e2e', 'Zone Status': 'available' }]);
  });

  it('a launch no host can take ends in ERROR, the fault naming the filter and the host', async () => {
    const imageFile = join(work, 'tiny.raw');
    writeFileSync(imageFile, Buffer.alloc(1024 * 1024));
    await openstackJson(strata.adminEnv, ['image', 'create', '--disk-format', 'raw', '--container-format', 'bare', '--file', imageFile, 'tiny']);
    await openstackJson(strata.adminEnv, ['flavor', 'create', '--ram', '10000000', '--disk', '1', '--vcpus', '1', 'enormous']);

    // This client ends a failed `--wait` with a bare SystemExit (status 0): its words are the signal.
    const create = await openstack(strata.adminEnv, ['server', 'create', '--image', 'tiny', '--flavor', 'enormous', '--wait', 'too-big']);
    expect(create.stdout).toContain('Error creating server');

    const server = await openstackJson<Record<string, unknown>>(strata.adminEnv, ['server', 'show', 'too-big']);
    expect(server.status).toBe('ERROR');
    expect(server.fault).toMatchObject({
      code: 500,
      message: expect.stringMatching(/^No valid host was found\. RamFilter rejected 1 host \(test-host: needs 10000000 MB RAM, \d+ MB free\)\.$/),
    });
  });
});
