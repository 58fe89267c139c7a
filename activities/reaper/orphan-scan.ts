// What a compute host has under its `instances/`: every QEMU whose pidfile lies in an
// instance directory (found in /proc, so one whose directory was removed is found too)
// and every instance directory, grouped by instance id, each with its age. Only names
// strata gives (instance UUIDs) count; anything else in the directory is not ours.
import { readdir, readFile, stat } from 'node:fs/promises';
import { z } from 'zod';
import type { OrphanCandidate } from '../../domain/compute/host-orphans.js';
import { instanceFiles } from '../../hypervisor/instance-files.js';
import type { HostLayout } from '../launch/host-layout.js';

/** Linux's USER_HZ: the unit of a process's start time in /proc/<pid>/stat (100 on every Linux ABI). */
const clockTicksPerSecond = 100;
const instanceId = z.uuid();

interface Found {
  qemuPid: number | null;
  directory: string | null;
  ageSeconds: number;
}

async function listOrEmpty(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

/** The instance a process's -pidfile places it in, or null for any process that is not an instance's QEMU. */
function instanceOfCommandLine(cmdline: string, layout: HostLayout): string | null {
  const argv = cmdline.split('\0');
  const pidFileArgument = argv.indexOf('-pidfile') + 1;
  if (pidFileArgument === 0) return null;
  const prefix = `${layout.instancesDir}/`;
  const pidFile = argv[pidFileArgument] ?? '';
  if (!pidFile.startsWith(prefix)) return null;
  const id = pidFile.slice(prefix.length).split('/')[0] ?? '';
  return instanceId.safeParse(id).success && instanceFiles(layout.instance(id).dir).pidFile === pidFile ? id : null;
}

/** Seconds since the process started (field 22 of /proc/<pid>/stat, after the parenthesised name). */
async function processAgeSeconds(pid: number, uptimeSeconds: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const startTicks = Number(fields[19]);
  return Math.max(0, uptimeSeconds - startTicks / clockTicksPerSecond);
}

async function qemuProcesses(layout: HostLayout, found: Map<string, Found>): Promise<void> {
  const uptimeSeconds = Number((await readFile('/proc/uptime', 'utf8')).split(' ')[0]);
  for (const entry of await listOrEmpty('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    // A process that exited meanwhile has nothing left to reap.
    const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
    const id = instanceOfCommandLine(cmdline, layout);
    if (id === null) continue;
    const ageSeconds = await processAgeSeconds(pid, uptimeSeconds).catch(() => null);
    if (ageSeconds === null) continue;
    found.set(id, { qemuPid: pid, directory: null, ageSeconds });
  }
}

async function instanceDirectories(layout: HostLayout, found: Map<string, Found>, now: Date): Promise<void> {
  for (const entry of await listOrEmpty(layout.instancesDir)) {
    if (!instanceId.safeParse(entry).success) continue;
    const directory = layout.instance(entry).dir;
    const status = await stat(directory).catch(() => null);
    if (!status?.isDirectory()) continue;
    // The directory changes whenever a file is made or removed in it (disks, QEMU's run files).
    const ageSeconds = Math.max(0, (now.getTime() - status.mtimeMs) / 1000);
    const process = found.get(entry);
    found.set(entry, { qemuPid: process?.qemuPid ?? null, directory, ageSeconds: Math.min(ageSeconds, process?.ageSeconds ?? Infinity) });
  }
}

/** Every instance with a QEMU or a directory on this host, sorted by id. */
export async function scanInstances(layout: HostLayout, now = new Date()): Promise<OrphanCandidate[]> {
  const found = new Map<string, Found>();
  await qemuProcesses(layout, found);
  await instanceDirectories(layout, found, now);
  return [...found].map(([id, entry]) => ({ instanceId: id, ...entry })).sort((a, b) => a.instanceId.localeCompare(b.instanceId));
}
