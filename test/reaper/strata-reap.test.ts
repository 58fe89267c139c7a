// The reaper as `strata up` wires it: the compute worker creates the schedule
// `reap-orphans-<host>` at start, and `strata reap` (through Temporal, so the host's own
// worker does the work) removes an orphan QEMU and an orphan directory of test-host
// while a server booted with the real `openstack` CLI, which holds its claim, runs on.
import { Client, Connection } from '@temporalio/client';
import { execa } from 'execa';
import { randomUUID } from 'node:crypto';
import { mkdir, stat, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReapReport } from '../../activities/reaper/reap-orphans.js';
import { reapScheduleId } from '../../activities/reaper/reap-schedule.js';
import { orphansStream } from '../../domain/compute/host-orphans.js';
import { strataEventSchemas } from '../../domain/event-registry.js';
import { openSqliteEventStore } from '../../eventstore/sqlite/index.js';
import { resolveAccelerator } from '../../hypervisor/accelerator.js';
import { createOverlay } from '../../hypervisor/qemu-img.js';
import { adoptVm, isRunning, startVm } from '../../hypervisor/vm-process.js';
import { processesOf } from '../delete/instance-processes.js';
import { guestImages } from '../hypervisor/guest-lab.js';
import { layoutOf, stopAllVms } from '../launch-e2e/launch-lab.js';
import { openstackJson } from '../support/openstack.js';
import { startStrata, type RunningStrata } from '../support/strata-up.js';

const GRACE_SECONDS = 3;
/** Schedules fire at multiples of their interval since the epoch: a year apart keeps the scheduled pass out of this test's way. */
const INTERVAL_SECONDS = 365 * 86_400;
let strata: RunningStrata;

beforeAll(async () => {
  await execa('bash', [join(import.meta.dirname, '../../scripts/build-guests.sh')], { timeout: 120_000 });
  strata = await startStrata({ STRATA_COMPUTE_ORPHAN_GRACE_SECONDS: String(GRACE_SECONDS), STRATA_COMPUTE_ORPHAN_REAP_INTERVAL_SECONDS: String(INTERVAL_SECONDS) });
}, 300_000);
afterAll(async () => {
  if (strata) await stopAllVms(strata.dataDir);
  await strata?.stop();
});

const strataCli = (...args: string[]) => execa('node', ['--import', 'tsx', 'cli/main.ts', ...args], { env: strata.env, reject: false });

describe('strata reap against strata up', () => {
  it('the worker scheduled the reaper; `strata reap` removes the orphans through it and keeps the claimed server', { timeout: 300_000 }, async () => {
    const connection = await Connection.connect({ address: `127.0.0.1:${strata.env.STRATA_TEMPORAL_DEV_SERVER_PORT}` });
    try {
      const schedule = await new Client({ connection }).schedule.getHandle(reapScheduleId('test-host')).describe();
      expect(schedule.action).toMatchObject({ workflowType: 'reapHostOrphans', args: [{ host: 'test-host', dryRun: false }] });
      expect(schedule.spec.intervals).toMatchObject([{ every: INTERVAL_SECONDS * 1000 }]);
    } finally {
      await connection.close();
    }

    const admin = strata.adminEnv;
    await openstackJson(admin, ['image', 'create', '--file', guestImages.biosRaw, '--disk-format', 'raw', '--container-format', 'bare', '--property', 'strata_boot_marker=STRATA-GUEST-DONE', 'bios-guest']);
    const server = await openstackJson(admin, ['server', 'create', '--image', 'bios-guest', '--flavor', 'm1.tiny', '--wait', 'kept']);
    const serverId = server.id as string;
    const layout = layoutOf(strata.dataDir, 'test-host');

    const [vmOrphan, dirOrphan] = [randomUUID(), randomUUID()];
    const vmPaths = layout.instance(vmOrphan);
    await mkdir(vmPaths.dir, { recursive: true });
    await createOverlay(guestImages.biosRaw, 'raw', vmPaths.rootDisk);
    const disks = [{ name: 'vda', source: { kind: 'file' as const, path: vmPaths.rootDisk, format: 'qcow2' as const } }];
    await startVm({ instanceId: vmOrphan, name: 'orphan', runDir: vmPaths.dir, accelerator: resolveAccelerator('auto'), memoryMiB: 64, vcpus: 1, firmware: { kind: 'bios' }, disks });
    const dirPaths = layout.instance(dirOrphan);
    await mkdir(dirPaths.dir, { recursive: true });
    await writeFile(dirPaths.rootDisk, 'left behind');
    const old = new Date(Date.now() - 3600_000);
    await utimes(dirPaths.dir, old, old);
    await new Promise((resolve) => setTimeout(resolve, (GRACE_SECONDS + 1) * 1000));

    const dry = await strataCli('reap', '--host', 'test-host', '--dry-run');
    expect(dry.exitCode, dry.stderr).toBe(0);
    expect(dry.stdout).toContain('host test-host: would reap 2 orphan(s), spared 1');
    expect(await processesOf(vmOrphan)).toHaveLength(1);

    const reaped = await strataCli('reap', '--host', 'test-host', '--json');
    expect(reaped.exitCode, reaped.stderr).toBe(0);
    const report = JSON.parse(reaped.stdout) as ReapReport;
    expect(report.reaped.map((entry) => entry.instanceId).sort()).toEqual([vmOrphan, dirOrphan].sort());
    expect(report.spared.map((entry) => [entry.instanceId, entry.reason])).toEqual([[serverId, 'claimed']]);
    expect(await processesOf(vmOrphan)).toEqual([]);
    for (const paths of [vmPaths, dirPaths]) expect(await stat(paths.dir).catch(() => null)).toBeNull();
    const kept = await adoptVm(layout.instance(serverId).dir);
    expect(kept && (await isRunning(kept))).toBe(true);
    expect((await openstackJson(admin, ['server', 'show', serverId])).status).toBe('ACTIVE');

    const events = openSqliteEventStore({ path: join(strata.dataDir, 'events.db'), schemas: strataEventSchemas() });
    try {
      const recorded = await events.readStream(orphansStream('test-host'));
      expect(recorded.map((event) => [event.type, event.metadata.activity])).toEqual([['HostOrphansReaped.v1', 'reapOrphans']]);
      expect(recorded[0]?.metadata.workflowId).toMatch(/^reap-orphans-test-host-/);
    } finally {
      await events.close();
    }
  });
});
