// `strata reap`: one pass of a compute host's orphan reaper, now. By default through
// Temporal — the host's own worker scans and removes, as its schedule does — so this
// works from any machine that reaches Temporal; `--local` runs the pass on the host
// directory under this machine's dataDir instead (no worker needed).
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import type { ReapReport } from '../../activities/reaper/reap-orphans.js';
import { describeReap, reapOrphans } from '../../activities/reaper/reap-orphans.js';
import { hostLayoutFor } from '../../activities/launch/host-wiring.js';
import { requestMetadata } from '../../application/metadata.js';
import { computeHostName } from '../../config/paths.js';
import type { StrataConfig } from '../../config/schema.js';
import { strataEventSchemas } from '../../domain/event-registry.js';
import { openEventStore } from '../../eventstore/open.js';
import { withTemporalClient } from '../../workers/temporal-connection.js';
import { reapHostOrphans } from '../../workflows/reap-orphans.js';
import { CONTROL_TASK_QUEUE } from '../../workflows/task-queues.js';
import { printOutcome, type CliCommand } from '../command.js';

const usage = `usage:
  strata reap [--host NAME] [--dry-run] [--grace SECONDS] [--local] [--json]

Finds QEMU processes and instance directories on the compute host that no instance owns
(none holds a claim on the host) and that are older than the grace age, stops them, wipes
their ephemeral disks (compute.ephemeralClear) and removes them, recording a
HostOrphansReaped event on orphans-host-<host>.

--host     the compute host (default: compute.host / the OS hostname)
--dry-run  print what would be removed; remove and record nothing
--grace    with --local: the grace age (default compute.orphanGraceSeconds); through
           Temporal the host's worker uses its own setting
--local    work on <dataDir>/hosts/<host> directly instead of through the host's worker
--json     print the report as JSON`;

async function reapLocally(config: StrataConfig, host: string, dryRun: boolean, graceSeconds: number): Promise<ReapReport> {
  const hostConfig = { ...config, compute: { ...config.compute, host } };
  const events = openEventStore(config, strataEventSchemas());
  try {
    // No caller and no workflow: the operator's command is its own request.
    const metadata = requestMetadata(null, randomUUID());
    const settings = { host, layout: hostLayoutFor(hostConfig), events, graceSeconds, clear: config.compute.ephemeralClear };
    return await reapOrphans(settings, { dryRun, metadata, log: () => undefined });
  } finally {
    await events.close();
  }
}

function reapThroughTemporal(config: StrataConfig, host: string, dryRun: boolean): Promise<ReapReport> {
  return withTemporalClient(config, (client) =>
    client.workflow.execute(reapHostOrphans, { taskQueue: CONTROL_TASK_QUEUE, workflowId: `reap-orphans-${host}-${randomUUID()}`, args: [{ host, dryRun }] }),
  );
}

export const reapCommand: CliCommand = {
  name: 'reap',
  summary: 'remove QEMU processes and instance directories no instance owns on a compute host',
  usage,
  async run(args, { config }) {
    const { positionals, values } = parseArgs({
      args,
      options: { host: { type: 'string' }, 'dry-run': { type: 'boolean', default: false }, grace: { type: 'string' }, local: { type: 'boolean', default: false }, json: { type: 'boolean', default: false } },
      allowPositionals: true,
    });
    const graceSeconds = values.grace === undefined ? config.compute.orphanGraceSeconds : Number(values.grace);
    if (positionals.length > 0 || !Number.isFinite(graceSeconds) || graceSeconds < 0 || (values.grace !== undefined && !values.local)) {
      console.error(usage);
      return 2;
    }
    const host = values.host ?? computeHostName(config);
    const dryRun = values['dry-run'];
    return printOutcome('reap', values.json, () => (values.local ? reapLocally(config, host, dryRun, graceSeconds) : reapThroughTemporal(config, host, dryRun)), describeReap);
  },
};
