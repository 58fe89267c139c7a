// `strata up`: the whole system on one machine. Starts the Temporal dev server (unless
// TEMPORAL_ADDRESS points at a cluster), the control, compute and storage workers and the
// API as child processes, waits for each to be ready, and stops them all on Ctrl-C/SIGTERM.
import { mkdirSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { apiBaseUrl, computeHostName, dataPaths } from '../../config/paths.js';
import type { StrataConfig } from '../../config/schema.js';
import { findTemporalCli } from '../../runtime/temporal-cli.js';
import { startDevServer } from '../../runtime/temporal-dev-server.js';
import { Supervisor } from '../../runtime/supervisor.js';
import { waitForPollers } from '../../runtime/task-queue-pollers.js';
import { waitUntil } from '../../runtime/wait.js';
import { CONTROL_TASK_QUEUE, computeTaskQueue, storageTaskQueue } from '../../workflows/task-queues.js';
import { temporalAddress } from '../../workers/temporal-connection.js';
import type { CliCommand } from '../command.js';
import { strataChildArgs } from '../self.js';

const READY_TIMEOUT_MS = 120_000;

export function openstackEnvironment(config: StrataConfig): string {
  return [
    `export OS_AUTH_URL=${apiBaseUrl(config)}/identity/v3`,
    `export OS_USERNAME=${config.identity.adminUser}`,
    `export OS_PASSWORD=${config.identity.adminPassword}`,
    `export OS_PROJECT_NAME=${config.identity.adminProject}`,
    'export OS_USER_DOMAIN_NAME=Default',
    'export OS_PROJECT_DOMAIN_NAME=Default',
    'export OS_IDENTITY_API_VERSION=3',
  ].join('\n');
}

async function bringUp(config: StrataConfig, supervisor: Supervisor): Promise<string | undefined> {
  const paths = dataPaths(config);
  mkdirSync(paths.root, { recursive: true });
  let uiUrl: string | undefined;
  if (!config.temporal.address) {
    const server = await startDevServer(supervisor, {
      cli: findTemporalCli(config.temporal.devServer.cli),
      ip: '127.0.0.1',
      port: config.temporal.devServer.port,
      uiPort: config.temporal.devServer.uiPort,
      dbFile: paths.temporalDb,
      namespace: config.temporal.namespace,
    });
    uiUrl = server.uiUrl;
  }
  const address = temporalAddress(config);
  const host = computeHostName(config);
  const { node } = config.storage;
  const parts: Array<{ name: string; args: string[]; queue: string; kind: 'workflow' | 'activity' }> = [
    { name: 'control', args: ['worker', 'control'], queue: CONTROL_TASK_QUEUE, kind: 'workflow' },
    { name: `compute:${host}`, args: ['worker', 'compute', '--host', host, '--az', config.compute.availabilityZone], queue: computeTaskQueue(host), kind: 'activity' },
    { name: `storage:${node}`, args: ['worker', 'storage', '--node', node], queue: storageTaskQueue(node), kind: 'activity' },
  ];
  for (const part of parts) supervisor.spawn(part.name, process.execPath, strataChildArgs(part.args));
  supervisor.spawn('api', process.execPath, strataChildArgs(['api']));
  await Promise.all(parts.map((part) => waitForPollers(address, config.temporal.namespace, part.queue, part.kind, READY_TIMEOUT_MS)));
  const readyz = `http://${config.api.host}:${config.api.port}/readyz`;
  await waitUntil(`the API at ${readyz}`, async () => (await fetch(readyz)).ok, { timeoutMs: READY_TIMEOUT_MS, intervalMs: 200 });
  return uiUrl;
}

export const upCommand: CliCommand = {
  name: 'up',
  summary: 'run everything on this machine (Temporal dev server, workers, API) until Ctrl-C',
  usage: 'usage: strata up\n\nStarts every part on one machine on the embedded defaults and prints how to reach it.',
  async run(args, { config }) {
    parseArgs({ args, options: {}, allowPositionals: false });
    let failed = false;
    let wake: () => void = () => undefined;
    const stopped = new Promise<void>((resolve) => (wake = resolve));
    const supervisor = new Supervisor({
      onUnexpectedExit: (name, code, signal) => {
        console.error(`strata up: ${name} exited (${signal ?? `code ${String(code)}`}); stopping everything`);
        failed = true;
        wake();
      },
    });
    process.once('SIGINT', wake);
    process.once('SIGTERM', wake);
    try {
      const uiUrl = await Promise.race([bringUp(config, supervisor), stopped.then(() => 'stopped' as const)]);
      if (uiUrl !== 'stopped') {
        console.log(`\nstrata is up.\n  API:         ${apiBaseUrl(config)}`);
        console.log(`  Temporal UI: ${uiUrl ?? `(external cluster at ${temporalAddress(config)})`}`);
        console.log(`\nFor the openstack CLI, paste:\n${openstackEnvironment(config)}\n\nCtrl-C stops everything.`);
        await stopped;
      }
    } catch (error) {
      failed = true;
      console.error(`strata up: ${error instanceof Error ? error.message : String(error)}`);
    }
    console.log('strata up: stopping');
    await supervisor.stopAll();
    console.log('strata up: stopped');
    return failed ? 1 : 0;
  },
};
