// The process's authorization set-up: strata's default policy overridden by the
// operator's policy file, and Glance property protections when a file is configured.
// Either file missing or invalid stops start-up with a message naming it.
import type { StrataConfig } from '../config/schema.js';
import type { Enforcer } from '../domain/policy/enforcer.js';
import { loadPolicy } from '../domain/policy/load-policy.js';
import { loadPropertyProtections } from '../domain/protections/load.js';
import type { PropertyProtections } from '../domain/protections/protections.js';

export interface Authorization {
  enforcer: Enforcer;
  /** Null when no protection file is configured: properties are then not protected. */
  protections: PropertyProtections | null;
}

export function loadAuthorization(config: StrataConfig, warn: (line: string) => void = console.warn): Authorization {
  const { enforcer, warnings } = loadPolicy(config.policy.file);
  for (const warning of warnings) warn(`policy: ${warning}`);
  const file = config.policy.propertyProtectionFile;
  const protections = file === undefined ? null : loadPropertyProtections(file, config.policy.propertyProtectionRuleFormat, enforcer);
  return { enforcer, protections };
}
