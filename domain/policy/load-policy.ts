// Builds the enforcer at start-up: strata's defaults, overridden by the operator's
// policy file when one is configured. The only file access of the policy engine.
import { readFileSync } from 'node:fs';
import { DEFAULT_POLICY_RULES } from './defaults/index.js';
import { Enforcer } from './enforcer.js';
import { parsePolicyDocument, PolicyFileError, type PolicyOverrides } from './policy-document.js';
import { buildRuleSet } from './rule-set.js';

export interface LoadedPolicy {
  readonly enforcer: Enforcer;
  /** Rules that fail closed or fall back to `default`; worth logging at start-up. */
  readonly warnings: readonly string[];
}

export function loadPolicy(file?: string): LoadedPolicy {
  const overrides: PolicyOverrides = file === undefined ? { rules: {}, warnings: [] } : parsePolicyDocument(readPolicyFile(file), file);
  const built = buildRuleSet(DEFAULT_POLICY_RULES, overrides.rules);
  return { enforcer: new Enforcer(built.rules), warnings: [...overrides.warnings, ...built.warnings] };
}

function readPolicyFile(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new PolicyFileError(file, code === 'ENOENT' ? 'file not found' : (error as Error).message);
  }
}
