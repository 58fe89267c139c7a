// `npm run chaos [-- --faults N --duration 15m --lanes 4 --keep]`: faults under load,
// then the invariants. Prints the report, writes chaos/results/latest.json, and exits
// non-zero on any invariant violation.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { defaultChaosOptions, runChaos } from './chaos.js';
import { formatReport, writeReport } from './report.js';
import { faultKinds } from './topology.js';
import { extraOperations } from './workload.js';

const usage = `usage: npm run chaos -- [--faults N] [--duration 15m|900s] [--vm-lanes N] [--data-lanes N] [--with snapshot,attach|none]
       [--kinds compute,api,…] [--keep]

Starts strata as separate processes on loopback ports in a temporary directory, runs
launches, deletes, image uploads, volume create/delete, snapshots and volume attaches
(--with picks the last two, for trees without them) while killing (-9) a random
part every few seconds, then quiesces and checks the invariants.`;

function durationMs(text: string): number {
  const match = /^(\d+)(ms|s|m)?$/.exec(text);
  if (!match) throw new Error(`--duration ${text}: expected e.g. 900s or 15m`);
  const unit = { ms: 1, s: 1_000, m: 60_000 }[match[2] ?? 's'] as number;
  return Number(match[1]) * unit;
}

function listOf<T extends string>(text: string, known: readonly T[], option: string): T[] {
  const items = text.split(',').map((item) => item.trim());
  const unknown = items.filter((item) => !(known as readonly string[]).includes(item));
  if (unknown.length) throw new Error(`${option}: unknown ${unknown.join(', ')} (known: ${known.join(', ')})`);
  return items as T[];
}

async function run(): Promise<number> {
  const { values } = parseArgs({
    options: {
      faults: { type: 'string' },
      duration: { type: 'string' },
      'vm-lanes': { type: 'string' },
      'data-lanes': { type: 'string' },
      with: { type: 'string' },
      kinds: { type: 'string' },
      keep: { type: 'boolean' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) {
    console.log(usage);
    return 0;
  }
  const options = {
    ...defaultChaosOptions,
    ...(values.faults ? { faults: Number(values.faults) } : {}),
    ...(values.duration ? { durationMs: durationMs(values.duration) } : {}),
    ...(values['vm-lanes'] ? { vmLanes: Number(values['vm-lanes']) } : {}),
    ...(values['data-lanes'] ? { dataLanes: Number(values['data-lanes']) } : {}),
    ...(values.with ? { extras: values.with === 'none' ? [] : listOf(values.with, extraOperations, '--with') } : {}),
    ...(values.kinds ? { kinds: listOf(values.kinds, faultKinds, '--kinds') } : {}),
    keep: values.keep === true,
    log: (line: string) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${line}`),
  };
  const report = await runChaos(options);
  console.log(formatReport(report));
  const path = join(fileURLToPath(new URL('.', import.meta.url)), 'results', 'latest.json');
  writeReport(report, path);
  console.log(`report written to ${path}`);
  return report.violations.length === 0 ? 0 : 1;
}

run().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
