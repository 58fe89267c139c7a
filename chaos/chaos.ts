// One chaos run, start to end: bring up every part as its own process, run the workload
// while the injector kills parts, quiesce, check the invariants, clean up. `chaos/run.ts`
// (npm run chaos) and test/chaos/chaos.test.ts both call runChaos.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { strataEventSchemas } from '../domain/event-registry.js';
import { openSqliteEventStore } from '../eventstore/sqlite/index.js';
import { waitForTemporal } from '../runtime/temporal-dev-server.js';
import { freePort } from '../test/support/ports.js';
import { ChaosClient } from './client.js';
import { emptyFaultLog, injectFaults } from './faults.js';
import { checkEventLog, checkHostClaims, checkReadModels, type Violation } from './invariants-log.js';
import { checkDeletedAreGone, checkImageData, checkOrphans, readSystem } from './invariants-state.js';
import { lifecycleWorkflows, removeLeftovers, settle, waitUntilReady } from './quiesce.js';
import { tallyOperations, type ChaosReport } from './report.js';
import { ADMIN_PASSWORD, createTopology, type FaultKind } from './topology.js';
import { extraOperations, prepareFixtures, startWorkload, type ExtraOperation } from './workload.js';

export interface ChaosOptions {
  faults: number;
  /** The fault phase ends after this long even if fewer faults were injected. */
  durationMs: number;
  vmLanes: number;
  dataLanes: number;
  maxLiveInstances: number;
  maxImageBytes: number;
  extras: readonly ExtraOperation[];
  faultIntervalMs: [number, number];
  downMs: [number, number];
  kinds?: readonly FaultKind[];
  quiesceTimeoutMs: number;
  /** Keep the work directory (logs, data) for a post-mortem. */
  keep?: boolean;
  log?: (line: string) => void;
}

export const defaultChaosOptions: ChaosOptions = {
  faults: 220,
  durationMs: 14 * 60_000,
  vmLanes: 3,
  dataLanes: 3,
  maxLiveInstances: 4,
  maxImageBytes: 4 * 1024 ** 2,
  extras: extraOperations,
  faultIntervalMs: [1_500, 5_000],
  downMs: [200, 3_000],
  quiesceTimeoutMs: 5 * 60_000,
};

const READY_TIMEOUT_MS = 180_000;
const OPERATION_TIMEOUT_MS = 240_000;
/** After the faults, operations get this long to finish; what is left is the quiesce's to settle. */
const DRAIN_MS = 90_000;

export async function runChaos(options: ChaosOptions): Promise<ChaosReport> {
  const log = options.log ?? (() => undefined);
  const startedAt = new Date();
  const workDir = mkdtempSync(join(tmpdir(), 'strata-chaos-'));
  const ports = { api: await freePort(), temporal: await freePort(), temporalUi: await freePort(), iscsi: await freePort() };
  const topology = createTopology(workDir, ports, ['chaos-a', 'chaos-b']);
  const client = new ChaosClient(topology.apiUrl, ADMIN_PASSWORD);
  const faults = emptyFaultLog();
  const violations: Violation[] = [];
  const checked = { events: 0, streams: 0, imagesVerified: 0 };
  let unsettledAtQuiesce: string[] = [];
  let records: ChaosReport['operations'] = tallyOperations([]);
  let clientErrors: string[] = [];
  log(`work directory ${workDir}`);
  try {
    topology.parts.find((part) => part.kind === 'temporal')?.start();
    await waitForTemporal(topology.temporalAddress, 'default', 60_000);
    topology.startKeeper();
    await waitUntilReady(topology, client, READY_TIMEOUT_MS);
    const fixtures = await prepareFixtures(client);
    log('system up; workload and faults start');

    const workload = startWorkload(client, fixtures, { ...options, operationTimeoutMs: OPERATION_TIMEOUT_MS });
    await injectFaults(topology.parts, { faults: options.faults, until: Date.now() + options.durationMs, intervalMs: options.faultIntervalMs, downMs: options.downMs, kinds: options.kinds, log }, faults);
    log(`${faults.injected} faults injected; quiescing`);
    await waitUntilReady(topology, client, READY_TIMEOUT_MS);
    await workload.stop(DRAIN_MS);
    records = tallyOperations(workload.records);
    clientErrors = workload.errors;
    unsettledAtQuiesce = await settle(topology, client, options.quiesceTimeoutMs);
    log('settled; checking invariants');

    const system = await readSystem(client);
    violations.push(...unsettledAtQuiesce.map((detail) => ({ invariant: 'every operation reached a terminal state', detail })));
    violations.push(...(await checkDeletedAreGone(client, workload.records)));
    // A workflow that failed left its operation to luck (a retried step that could not repeat itself).
    const failed = await lifecycleWorkflows(topology.temporalAddress, ['Failed', 'TimedOut', 'Terminated']);
    violations.push(...failed.map((detail) => ({ invariant: 'every workflow completed', detail })));
    const images = await checkImageData(client, system, workload.records);
    checked.imagesVerified = images.verified;
    violations.push(...images.violations, ...(await checkOrphans(topology, system)));

    // The log and read models are compared with no writer left but the API (which appends nothing unasked).
    topology.stopKeeper();
    for (const part of topology.parts.filter((candidate) => !['api', 'temporal', 'tgtd'].includes(candidate.kind))) await part.stop();
    const store = openSqliteEventStore({ path: join(topology.dataDir, 'events.db'), schemas: strataEventSchemas() });
    try {
      const eventLog = await checkEventLog(store);
      Object.assign(checked, { events: eventLog.events, streams: eventLog.streams });
      violations.push(...eventLog.violations, ...(await checkReadModels(join(topology.dataDir, 'read-model.db'), store)));
      violations.push(...checkHostClaims(join(topology.dataDir, 'read-model.db')));
    } finally {
      await store.close();
    }
  } finally {
    await topology.stopAll();
    await removeLeftovers(topology, ports.iscsi);
    if (!options.keep) rmSync(workDir, { recursive: true, force: true });
  }
  return {
    startedAt: startedAt.toISOString(),
    seconds: (Date.now() - startedAt.getTime()) / 1000,
    settings: { ...options, log: undefined },
    faults,
    parts: topology.parts.filter((part) => part.kind !== 'tgtd').map(({ name, starts, unexpectedExits }) => ({ name, starts, unexpectedExits })),
    operations: records,
    clientErrors,
    checked,
    unsettledAtQuiesce,
    violations,
  };
}
