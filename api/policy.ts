// The process's policy enforcer: strata's defaults, overridden by the operator's file.
import type { StrataConfig } from '../config/schema.js';
import { DEFAULT_POLICY_RULES } from '../domain/policy/defaults/index.js';
import { Enforcer } from '../domain/policy/enforcer.js';
import { buildRuleSet } from '../domain/policy/rule-set.js';

export function loadEnforcer(_config: StrataConfig, warn: (line: string) => void = console.warn): Enforcer {
  const { rules, warnings } = buildRuleSet(DEFAULT_POLICY_RULES);
  for (const warning of warnings) warn(warning);
  return new Enforcer(rules);
}
