// The system under chaos: every part of a strata deployment as its own process, so each
// can be killed (-9, by the PID this module started) and started again on the same data
// directory, ports and persistent Temporal database. A keeper loop restarts any part
// that is down and not deliberately held down by the fault injector.
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { findTemporalCli } from '../runtime/temporal-cli.js';
import { devServerArgs } from '../runtime/temporal-dev-server.js';
import { isTgtd } from '../storage/tgt/tgtd-process.js';
import { tgtdFiles } from '../storage/tgt/tgtd-files.js';
import { strataChildArgs } from '../cli/self.js';

export const faultKinds = ['temporal', 'api', 'control', 'compute', 'storage', 'tgtd'] as const;
export type FaultKind = (typeof faultKinds)[number];

export interface Part {
  name: string;
  kind: FaultKind;
  pid(): number | undefined;
  /** Starts the part if it is down (tgtd: its storage worker starts it when needed). */
  start(): void;
  /** kill -9 by PID; false when the part was not running. */
  kill9(): boolean;
  /** SIGTERM, then SIGKILL after the grace period. */
  stop(graceMs?: number): Promise<void>;
  /** The fault injector holds a killed part down for its restart delay. */
  held: boolean;
  /** Exits nobody asked for (a worker that lost Temporal, a crash). */
  unexpectedExits: number;
  starts: number;
}

export interface TopologyPorts {
  api: number;
  temporal: number;
  temporalUi: number;
  iscsi: number;
}

export interface Topology {
  parts: Part[];
  env: Record<string, string>;
  apiUrl: string;
  temporalAddress: string;
  dataDir: string;
  computeHosts: string[];
  storageNode: string;
  startKeeper(intervalMs?: number): void;
  stopKeeper(): void;
  stopAll(): Promise<void>;
}

export const ADMIN_PASSWORD = 'chaos-admin-password';

function processPart(name: string, kind: FaultKind, command: string, args: string[], env: Record<string, string>, logDir: string): Part {
  let child: ChildProcess | undefined;
  let killedByUs = false;
  const part: Part = {
    name,
    kind,
    held: false,
    unexpectedExits: 0,
    starts: 0,
    pid: () => child?.pid,
    start() {
      if (child) return;
      const log = openSync(join(logDir, `${name}.log`), 'a');
      try {
        const started = spawn(command, args, { env: { ...process.env, ...env }, stdio: ['ignore', log, log] });
        child = started;
        killedByUs = false;
        part.starts += 1;
        started.once('exit', () => {
          if (!killedByUs) part.unexpectedExits += 1;
          if (child === started) child = undefined;
        });
        started.once('error', () => undefined);
      } finally {
        closeSync(log);
      }
    },
    kill9() {
      const pid = child?.pid;
      if (pid === undefined || child?.exitCode !== null || child.signalCode !== null) return false;
      killedByUs = true;
      process.kill(pid, 'SIGKILL');
      return true;
    },
    async stop(graceMs = 10_000) {
      const running = child;
      if (!running || running.exitCode !== null || running.signalCode !== null) return;
      killedByUs = true;
      const exited = new Promise<void>((resolve) => running.once('exit', () => resolve()));
      running.kill('SIGTERM');
      const timer = setTimeout(() => running.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
  return part;
}

/** tgtd is started (detached) by the storage worker; its PID comes from the node's pidfile. */
function tgtdPart(stateDir: string, portal: { address: string; port: number }): Part {
  const files = tgtdFiles(stateDir);
  const running = () => {
    const pid = Number(readFileSync(files.pidFile, { encoding: 'utf8', flag: 'r' }).trim());
    return isTgtd({ pid, ipcSocket: files.ipcSocket, portal: `${portal.address}:${portal.port}` }) ? pid : undefined;
  };
  const pid = () => {
    try {
      return running();
    } catch {
      return undefined;
    }
  };
  return {
    name: 'tgtd',
    kind: 'tgtd',
    held: false,
    unexpectedExits: 0,
    starts: 0,
    pid,
    start: () => undefined,
    kill9() {
      const found = pid();
      if (found === undefined) return false;
      process.kill(found, 'SIGKILL');
      return true;
    },
    async stop() {
      // Left to the final clean-up, which withdraws its targets first (stopTgtd).
    },
  };
}

export function createTopology(workDir: string, ports: TopologyPorts, computeHosts: string[], storageNode = 'chaos-node'): Topology {
  const dataDir = join(workDir, 'data');
  const logDir = join(workDir, 'logs');
  mkdirSync(dataDir, { recursive: true });
  mkdirSync(logDir, { recursive: true });
  const temporalAddress = `127.0.0.1:${ports.temporal}`;
  const env: Record<string, string> = {
    STRATA_DATA_DIR: dataDir,
    STRATA_API_PORT: String(ports.api),
    TEMPORAL_ADDRESS: temporalAddress,
    STRATA_STORAGE_NODE: storageNode,
    STRATA_STORAGE_ISCSI_PORT: String(ports.iscsi),
    STRATA_IDENTITY_ADMIN_PASSWORD: ADMIN_PASSWORD,
    // Short heartbeats: a restarted compute worker is "up" again for the scheduler within seconds.
    STRATA_COMPUTE_HEARTBEAT_INTERVAL_SECONDS: '2',
  };
  const temporalArgs = devServerArgs({
    cli: '',
    ip: '127.0.0.1',
    port: ports.temporal,
    uiPort: ports.temporalUi,
    dbFile: join(dataDir, 'temporal.db'),
    ui: false,
    namespace: 'default',
  });
  const node = (name: string, kind: FaultKind, args: string[], extra: Record<string, string> = {}) =>
    processPart(name, kind, process.execPath, strataChildArgs(args), { ...env, ...extra }, logDir);
  const parts: Part[] = [
    processPart('temporal', 'temporal', findTemporalCli(), temporalArgs, {}, logDir),
    node('control', 'control', ['worker', 'control']),
    ...computeHosts.map((host) => node(`compute:${host}`, 'compute', ['worker', 'compute', '--host', host, '--az', 'nova'], { STRATA_COMPUTE_HOST: host })),
    node(`storage:${storageNode}`, 'storage', ['worker', 'storage', '--node', storageNode]),
    node('api', 'api', ['api']),
    tgtdPart(join(dataDir, 'volumes', storageNode, '.tgt'), { address: '127.0.0.1', port: ports.iscsi }),
  ];
  let keeper: NodeJS.Timeout | undefined;
  return {
    parts,
    env,
    apiUrl: `http://127.0.0.1:${ports.api}`,
    temporalAddress,
    dataDir,
    computeHosts,
    storageNode,
    startKeeper(intervalMs = 500) {
      for (const part of parts) part.start();
      keeper ??= setInterval(() => {
        for (const part of parts) if (!part.held) part.start();
      }, intervalMs);
    },
    stopKeeper() {
      clearInterval(keeper);
      keeper = undefined;
    },
    async stopAll() {
      this.stopKeeper();
      // Clients before the server they talk to; Temporal last.
      for (const part of [...parts].reverse()) await part.stop();
    },
  };
}
