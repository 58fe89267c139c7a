// Runs test/policy/oslo_oracle.py (the real oslo.policy) once for a whole batch of cases.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const ORACLE_PYTHON = '/usr/bin/python3';
const ORACLE_SCRIPT = fileURLToPath(new URL('./oslo_oracle.py', import.meta.url));

export type OracleDecision = 'allow' | 'deny' | 'error';

export interface OracleCase {
  readonly rules: Readonly<Record<string, string>>;
  readonly action: string;
  readonly target: Readonly<Record<string, unknown>>;
  readonly credentials: Readonly<Record<string, unknown>>;
}

export interface OracleAnswer {
  readonly decisions: OracleDecision[];
  readonly errors: (string | null)[];
  readonly parsed: string[];
}

export function askOslo(cases: readonly OracleCase[], rules: readonly string[]): OracleAnswer {
  const run = spawnSync(ORACLE_PYTHON, [ORACLE_SCRIPT], {
    input: JSON.stringify({ cases, rules }),
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
    timeout: 120_000,
  });
  if (run.status !== 0) throw new Error(`oslo oracle failed (${run.status ?? run.signal}): ${run.stderr}`);
  return JSON.parse(run.stdout) as OracleAnswer;
}
