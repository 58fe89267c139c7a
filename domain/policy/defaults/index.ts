// Every policy rule strata enforces, with its default. An operator's policy file
// overrides any of them by name.
import { BASE_RULES } from './base.js';
import { CINDER_RULES } from './cinder.js';
import { GLANCE_RULES } from './glance.js';
import { IDENTITY_RULES } from './identity.js';
import { NOVA_RULES } from './nova.js';
import { STRATA_RULES } from './strata.js';

export const DEFAULT_POLICY_RULES: Readonly<Record<string, string>> = {
  ...BASE_RULES,
  ...GLANCE_RULES,
  ...NOVA_RULES,
  ...CINDER_RULES,
  ...IDENTITY_RULES,
  ...STRATA_RULES,
};
