// Running tgtd for a storage node: start it detached so it (and every export) outlives
// the worker, adopt it again from its state directory, and stop it. Like QEMU's pid, a
// tgtd pid is trusted only while /proc says it is tgtd serving this node's portal.
import { execa } from 'execa';
import { spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { waitUntil } from '../../runtime/wait.js';
import { deleteTarget, showSystem, showTargets, shutdownSystem } from './tgtadm-args.js';
import { parseTargetListing } from './target-listing.js';
import { ipcSocketFiles, tgtdFiles } from './tgtd-files.js';
import { tgtadm } from './tgtadm.js';
import { maxUnixSocketPathBytes } from '../../runtime/unix-socket.js';

export interface TgtdOptions {
  /** Holds tgtd.pid, tgtd.log and the admin socket (keep it short: sockets are ≤ 108 bytes). */
  stateDir: string;
  address: string;
  port: number;
  readyTimeoutMs?: number;
}

export interface TgtdHandle {
  pid: number;
  ipcSocket: string;
  /** ADDR:PORT initiators log in to. */
  portal: string;
}

const portalArgument = (portal: string) => `portal=${portal}`;

export async function startTgtd({ stateDir, address, port, readyTimeoutMs = 10_000 }: TgtdOptions): Promise<TgtdHandle> {
  const files = tgtdFiles(resolve(stateDir));
  if (Buffer.byteLength(`${files.ipcSocket}.0`) > maxUnixSocketPathBytes) throw new Error(`tgtd admin socket path ${files.ipcSocket}.0 is longer than a unix socket allows`);
  await mkdir(resolve(stateDir), { recursive: true, mode: 0o700 });
  await Promise.all(ipcSocketFiles(files.ipcSocket).map((file) => rm(file, { force: true })));
  const portal = `${address}:${port}`;
  const log = openSync(files.log, 'a');
  try {
    const child = spawn('tgtd', ['-f', '--iscsi', portalArgument(portal)], {
      detached: true,
      stdio: ['ignore', log, log],
      env: { ...process.env, TGT_IPC_SOCKET: files.ipcSocket },
    });
    if (child.pid === undefined) throw new Error('tgtd did not start (is the Debian package tgt installed?)');
    child.unref();
    await writeFile(files.pidFile, `${child.pid}\n`);
    const tgtd = { pid: child.pid, ipcSocket: files.ipcSocket, portal };
    try {
      await waitUntil(`tgtd on ${portal} to answer tgtadm`, async () => {
        if (!isTgtd(tgtd)) throw new Error(`tgtd exited; see ${files.log}`);
        return answers(tgtd);
      }, { timeoutMs: readyTimeoutMs, intervalMs: 20 });
    } catch (error) {
      await stopTgtd(tgtd);
      throw error;
    }
    return tgtd;
  } finally {
    closeSync(log);
  }
}

/** The tgtd an earlier worker started for this state directory and portal, if it still runs. */
export async function adoptTgtd({ stateDir, address, port }: TgtdOptions): Promise<TgtdHandle | undefined> {
  const files = tgtdFiles(resolve(stateDir));
  const pid = Number((await readFile(files.pidFile, 'utf8').catch(() => '')).trim());
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  const tgtd = { pid, ipcSocket: files.ipcSocket, portal: `${address}:${port}` };
  return isTgtd(tgtd) && (await answers(tgtd)) ? tgtd : undefined;
}

/** tgtd ignores SIGTERM while targets exist: withdraw every target, then ask it to exit. */
export async function stopTgtd(tgtd: TgtdHandle, { timeoutMs = 5_000 } = {}): Promise<'stopped' | 'killed'> {
  let outcome: 'stopped' | 'killed' = 'stopped';
  if (isTgtd(tgtd)) {
    const listing = await tgtadm(tgtd, showTargets()).catch(() => '');
    for (const target of parseTargetListing(listing)) await tgtadm(tgtd, deleteTarget(target.tid)).catch(() => undefined);
    await tgtadm(tgtd, shutdownSystem()).catch(() => undefined);
    outcome = (await exitedWithin(tgtd, timeoutMs)) ? 'stopped' : await kill(tgtd);
  }
  const stateDir = resolve(tgtd.ipcSocket, '..');
  await Promise.all([...ipcSocketFiles(tgtd.ipcSocket), tgtdFiles(stateDir).pidFile].map((file) => rm(file, { force: true })));
  return outcome;
}

export function isTgtd({ pid, portal }: TgtdHandle): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    if (stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z')) return false;
    const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    return argv[0]?.endsWith('tgtd') === true && argv.includes(portalArgument(portal));
  } catch {
    return false;
  }
}

async function answers(tgtd: TgtdHandle): Promise<boolean> {
  const result = await execa('tgtadm', showSystem(), { reject: false, timeout: 2_000, env: { TGT_IPC_SOCKET: tgtd.ipcSocket } });
  return !result.failed && result.stdout.includes('State: ready');
}

async function exitedWithin(tgtd: TgtdHandle, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!isTgtd(tgtd)) return true;
    await sleep(20);
  }
  return !isTgtd(tgtd);
}

async function kill(tgtd: TgtdHandle): Promise<'killed'> {
  process.kill(tgtd.pid, 'SIGKILL');
  if (!(await exitedWithin(tgtd, 2_000))) throw new Error(`tgtd pid ${tgtd.pid} is still running after SIGKILL`);
  return 'killed';
}
