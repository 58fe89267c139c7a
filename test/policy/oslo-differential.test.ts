// Differential test: thousands of random rule sets × credentials × targets decided by
// strata's engine and by the real oslo.policy (Debian python3-oslo.policy), which must
// agree on every decision and on the shape of every parse tree. Where oslo raises while
// enforcing, strata must report an evaluation error (and so deny).
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Credentials } from '../../domain/policy/credentials.js';
import { Enforcer } from '../../domain/policy/enforcer.js';
import { parseRule } from '../../domain/policy/parse.js';
import { buildRuleSet } from '../../domain/policy/rule-set.js';
import { generateCases } from './case-generator.js';
import { formatLikeOslo } from './oslo-format.js';
import { askOslo, ORACLE_PYTHON, type OracleCase, type OracleDecision } from './oslo-oracle.js';

const CASE_COUNT = 5000;
const SEED = 20260611;

function decideWithStrata(testCase: OracleCase): OracleDecision {
  const enforcer = new Enforcer(buildRuleSet({}, testCase.rules).rules);
  const decision = enforcer.check(testCase.action, testCase.target, testCase.credentials as Credentials);
  if (decision.error) return 'error';
  return decision.allowed ? 'allow' : 'deny';
}

describe.skipIf(!existsSync(ORACLE_PYTHON))('strata policy engine against oslo.policy', () => {
  const cases = generateCases(CASE_COUNT, SEED);
  const ruleTexts = [...new Set(cases.flatMap((testCase) => Object.values(testCase.rules)))];
  const oslo = askOslo(cases, ruleTexts);

  it(`parses all ${ruleTexts.length} distinct generated rules into the same tree`, () => {
    const mismatches = ruleTexts
      .map((text, index) => ({ text, oslo: oslo.parsed[index], strata: formatLikeOslo(parseRule(text)) }))
      .filter((row) => row.oslo !== row.strata);
    expect(mismatches.slice(0, 10)).toEqual([]);
  });

  it(`decides all ${CASE_COUNT} generated cases as oslo does`, () => {
    const mismatches = cases
      .map((testCase, index) => ({
        testCase,
        oslo: oslo.decisions[index],
        osloError: oslo.errors[index],
        strata: decideWithStrata(testCase),
      }))
      .filter((row) => row.oslo !== row.strata);
    expect(mismatches.slice(0, 5)).toEqual([]);
  });

  it('exercises every outcome, so agreement is not trivial', () => {
    const counts = new Map<OracleDecision, number>();
    for (const decision of oslo.decisions) counts.set(decision, (counts.get(decision) ?? 0) + 1);
    for (const outcome of ['allow', 'deny', 'error'] as const) {
      expect(counts.get(outcome) ?? 0).toBeGreaterThan(CASE_COUNT / 20);
    }
  });
});
