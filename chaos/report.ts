// The chaos run's result: what was injected, what the workload did and how it ended, and
// every invariant violation. Printed for a person and written as JSON for tools.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { FaultLog } from './faults.js';
import type { Violation } from './invariants-log.js';
import type { OperationRecord } from './operations.js';

export interface ChaosReport {
  startedAt: string;
  seconds: number;
  settings: Record<string, unknown>;
  faults: FaultLog;
  /** Restarts of each part and exits nobody asked for (e.g. a worker that lost Temporal). */
  parts: Array<{ name: string; starts: number; unexpectedExits: number }>;
  operations: { total: number; byKindAndOutcome: Record<string, Record<string, number>>; meanSecondsByKind: Record<string, number> };
  clientErrors: string[];
  checked: { events: number; streams: number; imagesVerified: number };
  /** What was still running when the quiesce deadline passed (empty when everything settled). */
  unsettledAtQuiesce: string[];
  violations: Violation[];
}

export function tallyOperations(records: readonly OperationRecord[]): ChaosReport['operations'] {
  const byKindAndOutcome: Record<string, Record<string, number>> = {};
  const seconds: Record<string, number[]> = {};
  for (const record of records) {
    const outcomes = (byKindAndOutcome[record.kind] ??= {});
    outcomes[record.outcome] = (outcomes[record.outcome] ?? 0) + 1;
    if (record.seconds !== undefined) (seconds[record.kind] ??= []).push(record.seconds);
  }
  const mean = (values: number[]) => Math.round((values.reduce((sum, value) => sum + value, 0) / values.length) * 10) / 10;
  return { total: records.length, byKindAndOutcome, meanSecondsByKind: Object.fromEntries(Object.entries(seconds).map(([kind, values]) => [kind, mean(values)])) };
}

export function formatReport(report: ChaosReport): string {
  const lines = [
    `chaos run: ${report.seconds.toFixed(0)} s, ${report.faults.injected} faults injected`,
    `  faults by kind: ${Object.entries(report.faults.byKind).map(([kind, count]) => `${kind} ${count}`).join(', ')}`,
    `  not running when picked: ${Object.entries(report.faults.skipped).filter(([, count]) => count > 0).map(([kind, count]) => `${kind} ${count}`).join(', ') || 'none'}`,
    `  restarts: ${report.parts.map((part) => `${part.name} ${part.starts - 1}${part.unexpectedExits ? ` (${part.unexpectedExits} unexpected exits)` : ''}`).join(', ')}`,
    `operations: ${report.operations.total}`,
    ...Object.entries(report.operations.byKindAndOutcome).map(
      ([kind, outcomes]) => `  ${kind}: ${Object.entries(outcomes).map(([outcome, count]) => `${outcome} ${count}`).join(', ')} (mean ${report.operations.meanSecondsByKind[kind] ?? '?'} s)`,
    ),
    `client errors: ${report.clientErrors.length}`,
    ...report.clientErrors.slice(0, 10).map((error) => `  ${error}`),
    `checked: ${report.checked.events} events in ${report.checked.streams} streams, ${report.checked.imagesVerified} images' data`,
    `invariant violations: ${report.violations.length}`,
    ...report.violations.map((violation) => `  [${violation.invariant}] ${violation.detail}`),
  ];
  return lines.join('\n');
}

export function writeReport(report: ChaosReport, path: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify(report, null, 2)}\n`);
}
