// Vitest global setup: one real Temporal dev server (the installed `temporal` binary,
// never the SDK's download) for the whole test run, torn down at the end.
import { createWriteStream, mkdirSync } from 'node:fs';
import type {} from 'vitest';
import type { TestProject } from 'vitest/node';
import { findTemporalCli } from '../../runtime/temporal-cli.js';
import { startDevServer } from '../../runtime/temporal-dev-server.js';
import { Supervisor } from '../../runtime/supervisor.js';
import { freePort } from '../support/ports.js';

declare module 'vitest' {
  export interface ProvidedContext {
    temporalAddress: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  mkdirSync('test/artifacts', { recursive: true });
  const log = createWriteStream('test/artifacts/temporal-dev-server.log');
  const supervisor = new Supervisor({ log: (line) => log.write(`${line}\n`) });
  const server = await startDevServer(supervisor, {
    cli: findTemporalCli(process.env.TEMPORAL_CLI),
    ip: '127.0.0.1',
    port: await freePort(),
    uiPort: await freePort(),
    namespace: 'default',
    ui: false,
  });
  project.provide('temporalAddress', server.address);
  return async () => {
    await supervisor.stopAll();
    log.end();
  };
}
