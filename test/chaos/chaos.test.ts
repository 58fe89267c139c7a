// The CI-sized chaos run: the whole system as separate processes, 20 kill -9 faults
// spread over every kind of part while launches, deletes, image uploads and volumes run,
// then quiesce and every invariant of `npm run chaos` (chaos/invariants-*.ts).
import { execa } from 'execa';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { defaultChaosOptions, runChaos } from '../../chaos/chaos.js';
import { formatReport } from '../../chaos/report.js';

it('20 faults under load leave no invariant violated', { timeout: 900_000 }, async () => {
  await execa('bash', [join(import.meta.dirname, '../../scripts/build-guests.sh')], { timeout: 120_000 });
  const report = await runChaos({
    ...defaultChaosOptions,
    faults: 20,
    durationMs: 150_000,
    vmLanes: 2,
    dataLanes: 2,
    faultIntervalMs: [2_000, 5_000],
    quiesceTimeoutMs: 240_000,
  });
  console.log(formatReport(report));
  expect(report.violations).toEqual([]);
  expect(report.faults.injected).toBe(20);
  // Kinds take turns: every process kind was killed at least once (tgtd only runs while a volume is exported).
  for (const kind of ['temporal', 'api', 'control', 'compute', 'storage'] as const) expect(report.faults.byKind[kind], kind).toBeGreaterThanOrEqual(1);
  // The faults landed on a working system: operations ran and some finished as intended.
  const outcomes = Object.values(report.operations.byKindAndOutcome).flatMap((outcomes) => Object.keys(outcomes));
  expect(report.operations.total).toBeGreaterThan(3);
  expect(outcomes.some((outcome) => ['GONE', 'ACTIVE', 'active', 'gone'].includes(outcome))).toBe(true);
  expect(report.checked.events).toBeGreaterThan(50);
});
