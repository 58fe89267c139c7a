// The orphan reaper on a real host directory with real QEMU: an instance that holds a
// claim on the host (running QEMU) must survive; a QEMU started in an instance directory
// no instance in the log owns, a QEMU whose directory was removed under it, and a
// directory of disks nobody claims are removed (the orphan's ephemeral data zeroed before
// unlink, seen through a hard link taken beforehand); a directory younger than the grace
// age is spared. `strata reap --local --dry-run` reports without touching anything; the
// host's schedule `reap-orphans-<host>`, triggered on a real Temporal server, reaches the
// host's task queue, removes the orphans and records one HostOrphansReaped event.
import type { Client } from '@temporalio/client';
import { execa } from 'execa';
import { randomUUID } from 'node:crypto';
import { link, mkdir, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hostLayout } from '../../activities/launch/host-layout.js';
import type { ReapReport } from '../../activities/reaper/reap-orphans.js';
import { scanInstances } from '../../activities/reaper/orphan-scan.js';
import { reapScheduleId, upsertReapSchedule } from '../../activities/reaper/reap-schedule.js';
import { createReaperActivities } from '../../activities/reaper/reaper-activities.js';
import { handleCommand } from '../../application/handle-command.js';
import { orphansStream } from '../../domain/compute/host-orphans.js';
import { hostDecider, hostStream } from '../../domain/compute/host.js';
import { resolveAccelerator } from '../../hypervisor/accelerator.js';
import { createOverlay } from '../../hypervisor/qemu-img.js';
import { adoptVm, isRunning, startVm, stopVm, type VmHandle } from '../../hypervisor/vm-process.js';
import { waitUntil } from '../../runtime/wait.js';
import { workflowsPath } from '../../workers/control.js';
import { computeTaskQueue } from '../../workflows/task-queues.js';
import { processesOf } from '../delete/instance-processes.js';
import { saveHistory } from '../histories/save.js';
import { fileImageSource, guestFiles, imageOf, runActivity, tinyFlavor, useHostLab } from '../launch-host/host-lab.js';
import { useTemporalWorkers } from '../launch-host/temporal-workers.js';
import { addHost, testMetadata } from '../scheduling/support/cluster.js';

const lab = useHostLab();
/** The scheduled pass's grace: long enough that a directory made just before it is still young. */
const GRACE_SECONDS = 5;
const PATTERN = Buffer.from('STRATA-ORPHAN-EPHEMERAL-DATA ');

describe('orphan reaper', () => {
  const host = `reap-${randomUUID().slice(0, 8)}`;
  const controlQueue = `control-test-${randomUUID()}`;
  const layout = () => hostLayout(join(lab.path('hosts'), host));
  let client: Client;
  const temporal = useTemporalWorkers(() => [
    { taskQueue: controlQueue, workflowsPath },
    { taskQueue: computeTaskQueue(host), activities: createReaperActivities({ host, layout: layout(), events: lab.events, graceSeconds: GRACE_SECONDS, clear: 'zero' }) },
  ]);

  beforeAll(() => {
    client = temporal.client();
  });
  afterAll(async () => {
    await client.schedule.getHandle(reapScheduleId(host)).delete().catch(() => undefined);
    // A failed run must not leave an orphan QEMU of its own behind (its directory may be gone).
    for (const found of await scanInstances(layout())) {
      if (found.qemuPid !== null) await stopVm({ runDir: layout().instance(found.instanceId).dir, pid: found.qemuPid });
    }
  });

  /** A QEMU booting the BIOS guest in instance id's directory, with no instance in the log. */
  async function orphanVm(id: string): Promise<VmHandle> {
    const paths = layout().instance(id);
    await mkdir(paths.dir, { recursive: true });
    await createOverlay(guestFiles.biosRaw, 'raw', paths.rootDisk);
    const disks = [{ name: 'vda', source: { kind: 'file' as const, path: paths.rootDisk, format: 'qcow2' as const } }];
    return startVm({ instanceId: id, name: 'orphan', runDir: paths.dir, accelerator: resolveAccelerator('auto'), memoryMiB: 64, vcpus: 1, firmware: { kind: 'bios' }, disks });
  }

  /** A directory with a root disk and an ephemeral disk full of PATTERN, and a hard link to that disk outside it. */
  async function orphanDirectory(id: string): Promise<string> {
    const paths = layout().instance(id);
    await mkdir(paths.dir, { recursive: true });
    await createOverlay(guestFiles.biosRaw, 'raw', paths.rootDisk);
    await writeFile(paths.ephemeralDisk, Buffer.concat(Array.from({ length: 4096 }, () => PATTERN)));
    const retained = lab.path(`retained-${id}`);
    await link(paths.ephemeralDisk, retained);
    return retained;
  }

  const reapLocally = (...extra: string[]) =>
    execa('node', ['--import', 'tsx', 'cli/main.ts', 'reap', '--local', '--host', host, '--json', ...extra], { env: { STRATA_DATA_DIR: lab.path('.') }, reject: false });

  it('removes unclaimed QEMU processes and directories older than the grace age, spares the claimed and the young, and records it', { timeout: 180_000 }, async () => {
    await addHost(lab.events, host);
    // The live instance: claimed on the host, built and started by the real launch activities.
    const image = await imageOf(guestFiles.biosRaw, 'raw');
    const live = lab.host({ source: fileImageSource(new Map([[image.id, guestFiles.biosRaw]])).source, layout: layout() });
    const request = await lab.request(image);
    const resources = { vcpus: tinyFlavor.vcpus, ramMb: tinyFlavor.ramMb, diskGb: tinyFlavor.diskGb };
    await handleCommand(lab.events, hostDecider, hostStream(host), { kind: 'claim', instanceId: request.instanceId, resources }, { metadata: testMetadata() });
    const { result: base } = await runActivity(live.activities.ensureImageCached, [lab.step(request.instanceId, 'ensureImageCached'), request.image]);
    await runActivity(live.activities.createRootDisk, [lab.step(request.instanceId, 'createRootDisk'), request, base]);
    await runActivity(live.activities.startVm, [lab.step(request.instanceId, 'startVm'), request]);
    const liveVm = await adoptVm(layout().instance(request.instanceId).dir);
    expect(liveVm).toBeDefined();

    const [orphanId, homelessId, diskOnlyId, youngId] = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];
    const orphan = await orphanVm(orphanId);
    const homeless = await orphanVm(homelessId);
    await rm(layout().instance(homelessId).dir, { recursive: true, force: true });
    const retained = await orphanDirectory(diskOnlyId);
    const old = new Date(Date.now() - 3600_000);
    await utimes(layout().instance(diskOnlyId).dir, old, old);

    // A dry run reports and touches nothing (a minute's grace: the CLI takes seconds to start).
    const dry = await reapLocally('--dry-run', '--grace', '60');
    expect(dry.exitCode, dry.stderr).toBe(0);
    const dryReport = JSON.parse(dry.stdout) as ReapReport;
    expect(dryReport.reaped.map((entry) => entry.instanceId)).toEqual([diskOnlyId]);
    expect(dryReport.spared.map((entry) => [entry.instanceId, entry.reason]).sort()).toEqual(
      [[request.instanceId, 'claimed'], [orphanId, 'younger-than-grace'], [homelessId, 'younger-than-grace']].sort(),
    );
    expect(await stat(layout().instance(diskOnlyId).dir).catch(() => null)).not.toBeNull();
    expect(await lab.events.readStream(orphansStream(host))).toEqual([]);

    // Let the orphans age past the grace; then a directory appears that is still too young.
    await new Promise((resolve) => setTimeout(resolve, (GRACE_SECONDS + 1) * 1000));
    await mkdir(layout().instance(youngId).dir, { recursive: true });

    await upsertReapSchedule(client, { host, intervalSeconds: 3600, workflowTaskQueue: controlQueue });
    const schedule = client.schedule.getHandle(reapScheduleId(host));
    expect((await schedule.describe()).action).toMatchObject({ type: 'startWorkflow', workflowType: 'reapHostOrphans', taskQueue: controlQueue, args: [{ host, dryRun: false }] });
    await schedule.trigger();
    let workflowId = '';
    await waitUntil('the schedule to start its reap workflow', async () => {
      workflowId = (await schedule.describe()).info.recentActions[0]?.action.workflow.workflowId ?? '';
      return workflowId !== '';
    }, { timeoutMs: 30_000, intervalMs: 200 });
    const run = client.workflow.getHandle(workflowId);
    const report = (await run.result()) as ReapReport;
    // test/histories/replay.test.ts replays this run against later workflow code.
    saveHistory('reapHostOrphans', 'scheduled-pass', await run.fetchHistory());

    const reapedIds = [orphanId, homelessId, diskOnlyId].sort();
    expect(report.reaped.map((entry) => entry.instanceId)).toEqual(reapedIds);
    expect(report.reaped.find((entry) => entry.instanceId === orphanId)).toMatchObject({ qemuPid: orphan.pid, directory: layout().instance(orphanId).dir });
    expect(report.reaped.find((entry) => entry.instanceId === homelessId)).toMatchObject({ qemuPid: homeless.pid, directory: null });
    expect(report.reaped.find((entry) => entry.instanceId === diskOnlyId)).toMatchObject({ qemuPid: null, directory: layout().instance(diskOnlyId).dir });
    expect(report.spared.map((entry) => [entry.instanceId, entry.reason]).sort()).toEqual([[request.instanceId, 'claimed'], [youngId, 'younger-than-grace']].sort());

    // The orphans are gone, and the ephemeral data was zeroed before its file was unlinked.
    expect(await processesOf(orphanId)).toEqual([]);
    expect(await processesOf(homelessId)).toEqual([]);
    for (const id of reapedIds) expect(await stat(layout().instance(id).dir).catch(() => null)).toBeNull();
    const wiped = await readFile(retained);
    expect(wiped.length).toBe(PATTERN.length * 4096);
    expect(wiped.every((byte) => byte === 0)).toBe(true);
    // The claimed instance and the young directory are untouched.
    expect(liveVm && (await isRunning(liveVm))).toBe(true);
    expect(await stat(layout().instance(request.instanceId).rootDisk).catch(() => null)).not.toBeNull();
    expect(await stat(layout().instance(youngId).dir).catch(() => null)).not.toBeNull();

    const recorded = await lab.events.readStream(orphansStream(host));
    expect(recorded.map((event) => event.type)).toEqual(['HostOrphansReaped.v1']);
    expect(recorded[0]?.data).toMatchObject({ host, graceSeconds: GRACE_SECONDS, reaped: report.reaped });
    expect(recorded[0]?.metadata).toMatchObject({ workflowId, activity: 'reapOrphans' });

  });
});
