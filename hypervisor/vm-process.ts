// Running QEMU for an instance: start it detached (-daemonize), find it again from its
// runDir after the worker that started it is gone, and stop it. A pid alone is never
// trusted: the process must still be the QEMU whose -pidfile lies in that runDir.
import { execa } from 'execa';
import { constants } from 'node:fs';
import { copyFile, mkdir, readFile, rm, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { waitUntil } from '../runtime/wait.js';
import { instanceFiles } from './instance-files.js';
import { buildQemuCommand } from './qemu-command.js';
import { QmpClient } from './qmp.js';
import type { VmSpec } from './vm-spec.js';

export interface VmHandle {
  runDir: string;
  pid: number;
}

export class VmStartError extends Error {
  override name = 'VmStartError';
}

export interface StartOptions {
  qemuBinary?: string;
  /** Until QEMU has initialised and detached; does not include the guest's boot. */
  timeoutMs?: number;
}

export async function startVm(spec: VmSpec, { qemuBinary = 'qemu-system-x86_64', timeoutMs = 30_000 }: StartOptions = {}): Promise<VmHandle> {
  const argv = buildQemuCommand(spec);
  const files = instanceFiles(spec.runDir);
  await mkdir(spec.runDir, { recursive: true, mode: 0o700 });
  const running = await adoptVm(spec.runDir);
  if (running) throw new VmStartError(`a VM already runs in ${spec.runDir} (pid ${running.pid}); adopt or stop it`);
  await removeRuntimeFiles(spec.runDir);
  if (spec.firmware.kind === 'uefi') await copyVarsTemplateOnce(spec.firmware.varsTemplate, files.uefiVars);
  // The foreground process exits once the detached QEMU has initialised (or failed to).
  const result = await execa(qemuBinary, argv, { reject: false, timeout: timeoutMs });
  if (result.failed) {
    await killLeftover(spec.runDir);
    throw new VmStartError(`QEMU did not start for instance ${spec.instanceId}: ${result.stderr.trim() || result.message}`);
  }
  const vm = await adoptVm(spec.runDir);
  if (!vm) throw new VmStartError(`QEMU for instance ${spec.instanceId} reported success but ${files.pidFile} names no running QEMU`);
  try {
    await withQmp(vm, (qmp) => qmp.queryStatus());
  } catch (error) {
    await killLeftover(spec.runDir);
    throw new VmStartError(`QEMU for instance ${spec.instanceId} started but its QMP monitor did not answer: ${(error as Error).message}`);
  }
  return vm;
}

/** The QEMU running for runDir, or undefined when there is none. */
export async function adoptVm(runDir: string): Promise<VmHandle | undefined> {
  const absoluteRunDir = resolve(runDir);
  const pid = await readPidFile(instanceFiles(absoluteRunDir).pidFile);
  if (pid === undefined) return undefined;
  const vm = { runDir: absoluteRunDir, pid };
  return (await isRunning(vm)) ? vm : undefined;
}

/** True while pid is alive and still the QEMU started with this runDir's pidfile. */
export async function isRunning(vm: VmHandle): Promise<boolean> {
  let cmdline: string;
  try {
    cmdline = await readFile(`/proc/${vm.pid}/cmdline`, 'utf8');
  } catch {
    return false;
  }
  // An exited but unreaped (zombie) QEMU has an empty cmdline and counts as stopped.
  const argv = cmdline.split('\0');
  const pidFileArgument = argv.indexOf('-pidfile') + 1;
  return pidFileArgument > 0 && argv[pidFileArgument] === instanceFiles(vm.runDir).pidFile;
}

export async function connectQmp(vm: VmHandle, { timeoutMs = 5_000 } = {}): Promise<QmpClient> {
  return QmpClient.connect(instanceFiles(vm.runDir).qmpSocket, { timeoutMs });
}

/** Runs work over a QMP connection that is closed afterwards (QEMU serves one client at a time). */
export async function withQmp<T>(vm: VmHandle, work: (qmp: QmpClient) => Promise<T>, { connectTimeoutMs = 5_000 } = {}): Promise<T> {
  const qmp = await connectQmp(vm, { timeoutMs: connectTimeoutMs });
  try {
    return await work(qmp);
  } finally {
    await qmp.close();
  }
}

export type StopOutcome = 'not-running' | 'powered-off' | 'quit' | 'killed';

export interface StopOptions {
  /** How long the guest may take to shut down after an ACPI power-button press; 0 skips it. */
  graceMs?: number;
}

/** A QEMU too busy (or stopped) to greet within this is not going to quit politely. */
const stopConnectTimeoutMs = 2_000;
const quitWaitMs = 3_000;
const killWaitMs = 3_000;

/** Stops the VM: ACPI power-down within graceMs, else QMP quit, else SIGKILL by pid. */
export async function stopVm(vm: VmHandle, { graceMs = 0 }: StopOptions = {}): Promise<StopOutcome> {
  const outcome = await stopProcess(vm, graceMs);
  await removeRuntimeFiles(vm.runDir);
  return outcome;
}

async function stopProcess(vm: VmHandle, graceMs: number): Promise<StopOutcome> {
  if (!(await isRunning(vm))) return 'not-running';
  if (graceMs > 0) {
    await withQmp(vm, (qmp) => qmp.systemPowerdown(), { connectTimeoutMs: stopConnectTimeoutMs }).catch(() => undefined);
    if (await exitsWithin(vm, graceMs)) return 'powered-off';
  }
  await withQmp(vm, (qmp) => qmp.quit(), { connectTimeoutMs: stopConnectTimeoutMs }).catch(() => undefined);
  if (await exitsWithin(vm, quitWaitMs)) return 'quit';
  if (await isRunning(vm)) process.kill(vm.pid, 'SIGKILL');
  if (await exitsWithin(vm, killWaitMs)) return 'killed';
  throw new Error(`QEMU pid ${vm.pid} (${vm.runDir}) is still running after SIGKILL`);
}

/**
 * Gone or a zombie. isRunning alone is not enough here: a dying process loses its cmdline
 * (its memory is released) before it finishes exiting.
 */
async function hasExited(pid: number): Promise<boolean> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state === 'Z' || state === 'X';
  } catch {
    return true;
  }
}

async function exitsWithin(vm: VmHandle, timeoutMs: number): Promise<boolean> {
  try {
    await waitUntil(`QEMU pid ${vm.pid} to exit`, async () => !(await isRunning(vm)) && (await hasExited(vm.pid)), { timeoutMs, intervalMs: 20 });
    return true;
  } catch {
    return false;
  }
}

/** A QEMU that detached but then failed (or hung) during start must not linger. */
async function killLeftover(runDir: string): Promise<void> {
  const vm = await adoptVm(runDir);
  if (vm) process.kill(vm.pid, 'SIGKILL');
  await removeRuntimeFiles(runDir);
}

async function removeRuntimeFiles(runDir: string): Promise<void> {
  const files = instanceFiles(runDir);
  await Promise.all([rm(files.pidFile, { force: true }), rm(files.qmpSocket, { force: true })]);
}

/** Each instance keeps its own UEFI variables (boot entries) across restarts. */
async function copyVarsTemplateOnce(template: string, copy: string): Promise<void> {
  const exists = await stat(copy).then(
    () => true,
    () => false,
  );
  if (!exists) await copyFile(template, copy, constants.COPYFILE_EXCL);
}

async function readPidFile(path: string): Promise<number | undefined> {
  try {
    const pid = Number.parseInt(await readFile(path, 'utf8'), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}
