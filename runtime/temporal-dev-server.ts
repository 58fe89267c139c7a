// Runs `temporal server start-dev` as a child process for one-machine set-ups and tests:
// bound to loopback, persistent when given a db file, with strata's search attributes.
import { Connection } from '@temporalio/client';
import type { ChildProcess } from 'node:child_process';
import { searchAttributes } from '../workflows/search-attributes.js';
import type { Supervisor } from './supervisor.js';
import { waitUntil } from './wait.js';

export interface DevServerOptions {
  cli: string;
  ip: string;
  port: number;
  uiPort: number;
  /** Persistent state; omitted = in-memory (tests). */
  dbFile?: string;
  /** Serve the web UI (default true). */
  ui?: boolean;
  namespace: string;
}

export interface DevServer {
  address: string;
  uiUrl: string;
  pid: number;
}

/**
 * The dev server keeps its file in SQLite's rollback-journal mode unless told otherwise:
 * every transaction then creates, fsyncs and deletes a journal besides fsyncing the file,
 * and a launch makes dozens of them (each workflow and activity task). WAL commits with
 * one fsync and no file churn: a 6-activity workflow measured 5x faster (p50 625 → 127 ms
 * on a loaded machine). synchronous=full keeps every commit durable across power loss;
 * `normal` would shave a further ~25% but may lose the last commits on power loss.
 */
const DB_FILE_PRAGMAS = ['journal_mode=wal', 'synchronous=full'];

/**
 * The history service hands every new workflow task and activity task to matching through
 * its transfer queue, whose reader polls at most `history.transferProcessorMaxPollRPS`
 * times a second (20 by default, a guard for a shared cluster database). After a burst of
 * about a dozen tasks every further task waited for the next poll, ~45 ms: a chain of five
 * no-op activities took 70 ms, then 550 ms from the third workflow on (idle CPU). One
 * machine's dev server needs no such guard; the reader still polls only when there is work.
 */
const DYNAMIC_CONFIG = ['history.transferProcessorMaxPollRPS=1000'];

export function devServerArgs(options: DevServerOptions): string[] {
  const args = ['server', 'start-dev', '--ip', options.ip, '--port', String(options.port)];
  if (options.ui === false) args.push('--headless');
  else args.push('--ui-port', String(options.uiPort), '--ui-disable-news-fetch');
  args.push('--log-level', 'warn');
  for (const value of DYNAMIC_CONFIG) args.push('--dynamic-config-value', value);
  if (options.dbFile) args.push('--db-filename', options.dbFile, ...DB_FILE_PRAGMAS.flatMap((pragma) => ['--sqlite-pragma', pragma]));
  if (options.namespace !== 'default') args.push('--namespace', options.namespace);
  for (const key of Object.values(searchAttributes)) args.push('--search-attribute', `${key.name}=Keyword`);
  return args;
}

/** Resolves once the frontend answers and the namespace exists. */
export async function waitForTemporal(address: string, namespace: string, timeoutMs: number): Promise<void> {
  await waitUntil(
    `Temporal at ${address} (namespace ${namespace})`,
    async () => {
      const connection = await Connection.connect({ address, connectTimeout: 1000 });
      try {
        await connection.workflowService.describeNamespace({ namespace });
        return true;
      } finally {
        await connection.close();
      }
    },
    { timeoutMs, intervalMs: 200 },
  );
}

export async function startDevServer(supervisor: Supervisor, options: DevServerOptions): Promise<DevServer> {
  const child: ChildProcess = supervisor.spawn('temporal', options.cli, devServerArgs(options));
  const address = `${options.ip}:${options.port}`;
  await waitForTemporal(address, options.namespace, 60_000);
  if (options.ui !== false) await waitUntil(`Temporal UI on port ${options.uiPort}`, async () => (await fetch(`http://${options.ip}:${options.uiPort}/`)).ok, {
    timeoutMs: 30_000,
  });
  return { address, uiUrl: `http://${options.ip}:${options.uiPort}`, pid: child.pid ?? -1 };
}
