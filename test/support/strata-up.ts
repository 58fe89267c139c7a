// Runs the real `strata up` for a test file: free loopback ports, a temporary data dir,
// and the environment the `openstack` CLI needs to talk to it.
import { execa, type ResultPromise } from 'execa';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { waitUntil } from '../../runtime/wait.js';
import { freePort } from './ports.js';

export interface RunningStrata {
  process: ResultPromise<{ reject: false; all: true }>;
  apiUrl: string;
  uiUrl: string;
  dataDir: string;
  /** The environment `strata up` runs with: another strata process given it joins this deployment. */
  env: Record<string, string>;
  /** Everything `strata up` printed so far. */
  output: () => string;
  /** OS_* variables for the admin, as `strata up` prints them. */
  adminEnv: Record<string, string>;
  stop(): Promise<void>;
}

export const ADMIN_PASSWORD = 'test-admin-password';
const LOG_DIR = fileURLToPath(new URL('../artifacts/strata-up/', import.meta.url));

export async function startStrata(extraEnv: Record<string, string> = {}): Promise<RunningStrata> {
  const [apiPort, temporalPort, uiPort] = [await freePort(), await freePort(), await freePort()];
  const dataDir = mkdtempSync(join(tmpdir(), 'strata-up-'));
  const env = {
    STRATA_DATA_DIR: dataDir,
    STRATA_API_PORT: String(apiPort),
    STRATA_TEMPORAL_DEV_SERVER_PORT: String(temporalPort),
    STRATA_TEMPORAL_DEV_SERVER_UI_PORT: String(uiPort),
    STRATA_COMPUTE_HOST: 'test-host',
    STRATA_STORAGE_NODE: 'test-node',
    STRATA_IDENTITY_ADMIN_PASSWORD: ADMIN_PASSWORD,
    ...extraEnv,
  };
  const child = execa('node', ['--import', 'tsx', 'cli/main.ts', 'up'], {
    env,
    reject: false,
    all: true,
  });
  let output = '';
  child.all.on('data', (chunk: Buffer) => (output += chunk.toString()));
  // The ready message arrives in several writes: wait for its last line, after the OS_* exports.
  const ready = await waitUntil('strata up to report ready', () => Promise.resolve(output.includes('Ctrl-C stops everything.') || child.exitCode !== null), {
    timeoutMs: 150_000,
    intervalMs: 250,
  }).then(
    () => output.includes('strata is up.'),
    () => false,
  );
  if (!ready) {
    // Nobody gets a handle to stop it: a start that did not finish must not leave its parts running.
    if (child.exitCode === null) child.kill('SIGINT');
    await child;
    throw new Error(`strata up did not start:\n${output}`);
  }
  const adminEnv = Object.fromEntries([...output.matchAll(/^export (OS_[A-Z_]+)=(\S+)$/gm)].map((match) => [match[1] as string, match[2] as string]));
  return {
    process: child,
    apiUrl: `http://127.0.0.1:${apiPort}`,
    uiUrl: `http://127.0.0.1:${uiPort}`,
    dataDir,
    env,
    output: () => output,
    adminEnv,
    async stop() {
      if (child.exitCode === null) child.kill('SIGINT');
      await child;
      // Every part's log, for a run that failed in CI (test/artifacts is not committed).
      mkdirSync(LOG_DIR, { recursive: true });
      writeFileSync(join(LOG_DIR, `${basename(dataDir)}.log`), output);
    },
  };
}
