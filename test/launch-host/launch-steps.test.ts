// The launch steps on a compute host, run as the workflow runs them, against real
// qemu-img, real QEMU booting strata's test guests, and a real SQLite event store:
// disks built over the cached base (never written), one QEMU however often startVm runs,
// each event recorded once, and a destroy that wipes and leaves nothing behind.
import { execa } from 'execa';
import { readFile, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { CachedImage } from '../../activities/launch/contract.js';
import type { HostActivities } from '../../activities/launch/host.js';
import { LaunchFailure } from '../../activities/launch/contract.js';
import type { InstancePaths } from '../../activities/launch/host-layout.js';
import { pathExists } from '../../activities/launch/path-exists.js';
import { vmSpecFor } from '../../activities/launch/vm.js';
import type { ImageSnapshot, InstanceRequest } from '../../domain/compute/instance.js';
import { resolveAccelerator } from '../../hypervisor/accelerator.js';
import { readConsole } from '../../hypervisor/console.js';
import { defaultOvmfPaths } from '../../hypervisor/firmware.js';
import { instanceFiles } from '../../hypervisor/instance-files.js';
import { createDisk, info } from '../../hypervisor/qemu-img.js';
import { adoptVm, startVm } from '../../hypervisor/vm-process.js';
import { waitUntil } from '../../runtime/wait.js';
import type { HostOptions } from './host-lab.js';
import { digestOf, failureOf, fileImageSource, guestFiles, imageOf, runActivity, useHostLab } from './host-lab.js';

const lab = useHostLab();
const biosDone = 'STRATA-GUEST-DONE';
const uefiBooted = 'STRATA-UEFI-BOOT';

/** Pids of the QEMU processes whose pidfile lies under dir. */
async function qemuPidsIn(dir: string): Promise<number[]> {
  const { stdout } = await execa('pgrep', ['-f', `qemu-system.*${dir}.*qemu.pid`], { reject: false });
  return stdout.split('\n').filter(Boolean).map(Number);
}

async function qemuProcessesIn(dir: string): Promise<number> {
  return (await qemuPidsIn(dir)).length;
}

async function timed<T>(timings: Record<string, number>, name: string, work: () => Promise<T>): Promise<T> {
  const startedAt = performance.now();
  try {
    return await work();
  } finally {
    timings[name] = Math.round(performance.now() - startedAt);
  }
}

interface Host {
  activities: HostActivities;
  request: InstanceRequest;
  paths: InstancePaths;
  step: (name: string) => ReturnType<typeof lab.step>;
}

/** A host with the image's file as its source, and a recorded request for one instance of it. */
async function hostFor(image: ImageSnapshot, file: string, flavor: Partial<InstanceRequest['flavor']> = {}, host: HostOptions['host'] = {}): Promise<Host> {
  const { layout, activities } = lab.host({ source: fileImageSource(new Map([[image.id, file]])).source, host });
  const request = await lab.request(image, flavor);
  return { activities, request, paths: layout.instance(request.instanceId), step: (name) => lab.step(request.instanceId, name) };
}

/** Every host step of one launch attempt, in the workflow's order, timed. */
async function launch({ activities, request, step }: Host, timings: Record<string, number> = {}): Promise<CachedImage> {
  const { image } = request;
  const { result: base } = await timed(timings, 'ensureImageCached cold', () => runActivity(activities.ensureImageCached, [step('ensureImageCached'), image]));
  await timed(timings, 'ensureImageCached warm', () => runActivity(activities.ensureImageCached, [step('ensureImageCached'), image]));
  await timed(timings, 'createRootDisk', () => runActivity(activities.createRootDisk, [step('createRootDisk'), request, base]));
  await timed(timings, 'createEphemeralDisk', () => runActivity(activities.createEphemeralDisk, [step('createEphemeralDisk'), request]));
  await timed(timings, 'startVm', () => runActivity(activities.startVm, [step('startVm'), request]));
  await timed(timings, 'waitForBoot', () => runActivity(activities.waitForBoot, [step('waitForBoot'), request]));
  return base;
}

const biosImage = (properties: Record<string, string> = {}) => imageOf(guestFiles.biosRaw, 'raw', { properties: { strata_boot_marker: biosDone, ...properties } });

afterAll(async () => {
  expect(await qemuProcessesIn(lab.path(''))).toBe(0);
});

describe('host launch steps', () => {
  it('boots the BIOS guest over the cached base, records each step once however often it runs, and destroy wipes and removes everything', async () => {
    const image = await biosImage();
    const atRemoval: { ephemeral?: Buffer } = {};
    const host = await hostFor(image, guestFiles.biosRaw, { ephemeralGb: 1 }, { beforeRemove: async (paths) => void (atRemoval.ephemeral ??= await readFile(paths.ephemeralDisk)) });
    const { activities, request, paths, step } = host;
    const timings: Record<string, number> = {};
    const base = await launch(host, timings);
    const baseDigest = await digestOf(guestFiles.biosRaw, 'sha256');
    expect(await digestOf(base.path, 'sha256')).toBe(baseDigest);

    const consoleText = await readConsole(instanceFiles(paths.dir).consoleLog);
    expect(consoleText).toContain(`instance-id=${request.instanceId}`);
    expect(consoleText).toContain('boot-count=1');
    expect(consoleText).toContain(`vdb-wrote: STRATA-MARK boot=1 id=${request.instanceId}`);
    // The guest wrote its boot counter: into the overlay, never into the base.
    expect(await digestOf(base.path, 'sha256')).toBe(baseDigest);
    expect(await info(paths.rootDisk, { format: 'qcow2', forceShare: true })).toMatchObject({ backingFilename: base.path, backingFormat: 'raw', virtualSize: 1024 ** 3 });

    // Every step again, as a retry after a worker crash would run it: the same VM, no second event.
    const vm = await adoptVm(paths.dir);
    await runActivity(activities.createRootDisk, [step('createRootDisk'), request, base]);
    await runActivity(activities.createEphemeralDisk, [step('createEphemeralDisk'), request]);
    expect((await runActivity(activities.startVm, [step('startVm'), request])).result).toEqual({ pid: vm?.pid });
    await runActivity(activities.waitForBoot, [step('waitForBoot'), request]);
    expect(await qemuProcessesIn(paths.dir)).toBe(1);
    expect(await lab.eventTypes(request.instanceId)).toEqual([
      'InstanceRequested.v1',
      'RootDiskCreated.v1',
      'EphemeralDiskCreated.v1',
      'InstanceSpawning.v1',
      'VmStarted.v1',
      'InstanceBooted.v1',
    ]);

    expect((await readFile(paths.ephemeralDisk)).includes('STRATA-MARK')).toBe(true);
    await timed(timings, 'destroyInstance', () => runActivity(activities.destroyInstance, [step('destroyInstance')]));
    expect(atRemoval.ephemeral?.length).toBeGreaterThan(0);
    expect(atRemoval.ephemeral?.every((byte) => byte === 0)).toBe(true);
    expect(await qemuProcessesIn(paths.dir)).toBe(0);
    expect(await stat(paths.dir).catch(() => null)).toBeNull();
    expect(await digestOf(base.path, 'sha256')).toBe(baseDigest);
    await runActivity(activities.destroyInstance, [step('destroyInstance')]);
    console.info(`BIOS launch steps, ms: ${JSON.stringify(timings)}`);
  });

  it('encrypts the ephemeral disk under a per-instance key, and destroy zeroes key and disk', async () => {
    const image = await biosImage();
    const atRemoval: { key?: Buffer; ephemeral?: Buffer } = {};
    const host = await hostFor(image, guestFiles.biosRaw, { ephemeralGb: 1 }, {
      ephemeral: { clear: 'zero', encrypt: true },
      beforeRemove: async (paths) => {
        atRemoval.key = await readFile(paths.ephemeralKey);
        atRemoval.ephemeral = await readFile(paths.ephemeralDisk);
      },
    });
    await launch(host);
    const consoleText = await readConsole(instanceFiles(host.paths.dir).consoleLog);
    expect(consoleText).toContain(`vdb-wrote: STRATA-MARK boot=1 id=${host.request.instanceId}`);
    expect(await info(host.paths.ephemeralDisk, { format: 'qcow2', forceShare: true })).toMatchObject({ encrypted: true });
    expect((await readFile(host.paths.ephemeralDisk)).includes('STRATA-MARK')).toBe(false);
    const recorded = (await lab.events.readStream(`instance-${host.request.instanceId}`)).find((event) => event.type === 'EphemeralDiskCreated.v1');
    expect(recorded?.data).toEqual({ path: host.paths.ephemeralDisk, sizeGb: 1, encrypted: true });

    await runActivity(host.activities.destroyInstance, [host.step('destroyInstance')]);
    expect(atRemoval.key?.length).toBeGreaterThan(0);
    expect(atRemoval.key?.every((byte) => byte === 0)).toBe(true);
    expect(atRemoval.ephemeral?.every((byte) => byte === 0)).toBe(true);
    expect(await stat(host.paths.dir).catch(() => null)).toBeNull();
  });

  it('adopts the QEMU an earlier attempt started instead of starting a second one', async () => {
    const image = await biosImage();
    const host = await hostFor(image, guestFiles.biosRaw);
    const { result: base } = await runActivity(host.activities.ensureImageCached, [host.step('ensureImageCached'), image]);
    await runActivity(host.activities.createRootDisk, [host.step('createRootDisk'), host.request, base]);
    // What a worker killed right after QEMU daemonized leaves behind: a running VM, no VmStarted.
    const orphan = await startVm(await vmSpecFor(host.request, host.paths, { accelerator: resolveAccelerator('auto'), ovmf: defaultOvmfPaths }));
    const [first, second] = await Promise.all([
      runActivity(host.activities.startVm, [host.step('startVm'), host.request]),
      runActivity(host.activities.startVm, [host.step('startVm'), host.request]),
    ]);
    expect(first.result).toEqual({ pid: orphan.pid });
    expect(second.result).toEqual({ pid: orphan.pid });
    expect(await qemuProcessesIn(host.paths.dir)).toBe(1);
    await runActivity(host.activities.destroyInstance, [host.step('destroyInstance')]);
    expect(await qemuProcessesIn(host.paths.dir)).toBe(0);
  });

  it('adopts the QEMU of a worker killed (kill -9) in the middle of startVm', async () => {
    const image = await biosImage();
    const host = await hostFor(image, guestFiles.biosRaw);
    const { result: base } = await runActivity(host.activities.ensureImageCached, [host.step('ensureImageCached'), image]);
    await runActivity(host.activities.createRootDisk, [host.step('createRootDisk'), host.request, base]);
    const script = join(import.meta.dirname, 'start-vm-then-die.ts');
    const worker = execa('node', ['--import', 'tsx', script, dirname(dirname(host.paths.dir)), lab.eventsPath(), JSON.stringify(host.step('startVm')), JSON.stringify(host.request)], { reject: false });
    await waitUntil('the dying worker to start QEMU', () => pathExists(instanceFiles(host.paths.dir).pidFile), { timeoutMs: 30_000, intervalMs: 5 });
    worker.kill('SIGKILL');
    expect((await worker).signal).toBe('SIGKILL');

    const orphan = await adoptVm(host.paths.dir);
    expect(orphan).toBeDefined();
    const { result } = await runActivity(host.activities.startVm, [host.step('startVm'), host.request]);
    expect(result).toEqual({ pid: orphan?.pid });
    // QEMU's foreground half may linger a moment until the daemon it forked reports ready; a second VM would stay.
    await waitUntil('only the adopted QEMU to run', async () => (await qemuPidsIn(host.paths.dir)).join() === String(orphan?.pid), { timeoutMs: 10_000 });
    const started = (await lab.events.readStream(`instance-${host.request.instanceId}`)).filter((event) => event.type === 'VmStarted.v1');
    expect(started.map((event) => event.data)).toEqual([{ pid: orphan?.pid }]);
    await runActivity(host.activities.destroyInstance, [host.step('destroyInstance')]);
  });

  it('refuses a base larger than the flavor disk, or an image whose min_disk exceeds it; disk 0 takes the image size', async () => {
    const bigFile = lab.path('big-virtual.qcow2');
    await createDisk(bigFile, 2 * 1024 ** 3, { format: 'qcow2' });
    const big = await imageOf(bigFile, 'qcow2');
    const host = await hostFor(big, bigFile, { diskGb: 1 });
    const { result: base } = await runActivity(host.activities.ensureImageCached, [host.step('ensureImageCached'), big]);
    const tooSmall = await failureOf(runActivity(host.activities.createRootDisk, [host.step('createRootDisk'), host.request, base]));
    expect(tooSmall).toMatchObject({ type: LaunchFailure.invalidRequest, nonRetryable: true });
    expect(tooSmall.message).toContain("Flavor's disk is too small for requested image");
    expect(await stat(host.paths.rootDisk).catch(() => null)).toBeNull();

    const wantsMore = await hostFor(await biosImage(), guestFiles.biosRaw, { diskGb: 1 });
    const smallBase = (await runActivity(wantsMore.activities.ensureImageCached, [wantsMore.step('ensureImageCached'), wantsMore.request.image])).result;
    const minDisk = await failureOf(runActivity(wantsMore.activities.createRootDisk, [wantsMore.step('createRootDisk'), { ...wantsMore.request, image: { ...wantsMore.request.image, minDiskGb: 5 } }, smallBase]));
    expect(minDisk).toMatchObject({ type: LaunchFailure.invalidRequest, nonRetryable: true });

    const sized = await hostFor(big, bigFile, { diskGb: 0 });
    const { result: bigBase } = await runActivity(sized.activities.ensureImageCached, [sized.step('ensureImageCached'), big]);
    await runActivity(sized.activities.createRootDisk, [sized.step('createRootDisk'), sized.request, bigBase]);
    expect(await info(sized.paths.rootDisk, { format: 'qcow2' })).toMatchObject({ virtualSize: 2 * 1024 ** 3, backingFilename: bigBase.path });
    expect(await lab.eventTypes(sized.request.instanceId)).toEqual(['InstanceRequested.v1', 'RootDiskCreated.v1']);
  });

  it('boots the UEFI guest through OVMF with its own variable store; the marker counts although the guest powers off', { timeout: 120_000 }, async () => {
    const image = await imageOf(guestFiles.uefiRaw, 'raw', { properties: { hw_firmware_type: 'uefi', strata_boot_marker: uefiBooted } });
    const host = await hostFor(image, guestFiles.uefiRaw, { ramMb: 128 }, { bootTimeoutSeconds: 90 });
    const timings: Record<string, number> = {};
    await launch(host, timings);
    expect(await readConsole(instanceFiles(host.paths.dir).consoleLog)).toContain(uefiBooted);
    expect((await stat(instanceFiles(host.paths.dir).uefiVars)).size).toBe((await stat(defaultOvmfPaths.vars)).size);
    expect(await lab.eventTypes(host.request.instanceId)).toContain('InstanceBooted.v1');
    await runActivity(host.activities.destroyInstance, [host.step('destroyInstance')]);
    console.info(`UEFI launch steps, ms: ${JSON.stringify(timings)}`);
  });

  it('tells the administrator how to fix missing UEFI firmware, without retrying on this host', async () => {
    const image = await imageOf(guestFiles.uefiRaw, 'raw', { properties: { hw_firmware_type: 'uefi' } });
    const host = await hostFor(image, guestFiles.uefiRaw, {}, { vm: { accelerator: resolveAccelerator('auto'), ovmf: { code: '/nonexistent/OVMF_CODE.fd', vars: '/nonexistent/OVMF_VARS.fd' } } });
    const { result: base } = await runActivity(host.activities.ensureImageCached, [host.step('ensureImageCached'), image]);
    await runActivity(host.activities.createRootDisk, [host.step('createRootDisk'), host.request, base]);
    const failure = await failureOf(runActivity(host.activities.startVm, [host.step('startVm'), host.request]));
    expect(failure).toMatchObject({ type: 'HostUnfitError', nonRetryable: true });
    expect(failure.message).toMatch(/UEFI firmware not found.*apt-get install ovmf/);
    expect(await qemuProcessesIn(host.paths.dir)).toBe(0);
  });

  it('fails the boot as BootTimeout when the marker never appears, and needs a running QEMU when the image has no marker', async () => {
    const silent = await hostFor(await biosImage({ strata_boot_marker: 'NEVER-PRINTED' }), guestFiles.biosRaw, {}, { bootTimeoutSeconds: 2 });
    const timedOut = await failureOf(launch(silent));
    expect(timedOut).toMatchObject({ type: LaunchFailure.bootTimeout, nonRetryable: true });
    expect(timedOut.message).toContain('NEVER-PRINTED');
    await runActivity(silent.activities.destroyInstance, [silent.step('destroyInstance')]);

    const unmarked = await hostFor(await imageOf(guestFiles.biosRaw, 'raw'), guestFiles.biosRaw);
    await launch(unmarked);
    expect(await lab.eventTypes(unmarked.request.instanceId)).toContain('InstanceBooted.v1');
    await runActivity(unmarked.activities.destroyInstance, [unmarked.step('destroyInstance')]);
    await expect(runActivity(unmarked.activities.waitForBoot, [unmarked.step('waitForBoot-after-destroy'), unmarked.request])).rejects.toThrow('is not running');
  });
});
