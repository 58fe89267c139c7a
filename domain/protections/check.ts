// Deciding property operations against parsed protections.
import type { Credentials } from '../policy/credentials.js';
import type { PolicyDecider } from '../policy/enforcer.js';
import type { PropertyOperation, PropertyProtections } from './protections.js';

/**
 * Whether the caller may perform `operation` on the property. `policies` decides
 * policies-format permissions (Glance enforces the named rule with an empty target).
 */
export function isAllowed(
  protections: PropertyProtections,
  property: string,
  operation: PropertyOperation,
  credentials: Credentials,
  policies: PolicyDecider,
): boolean {
  const section = protections.sections.find((candidate) => candidate.matcher.test(property));
  if (!section) return false;
  const permission = section.permissions[operation];
  switch (permission.kind) {
    case 'everyone':
      return true;
    case 'nobody':
      return false;
    case 'roles':
      return credentials.roles.some((role) => permission.roles.includes(role.toLowerCase()));
    case 'policy':
      return policies.enforce(permission.rule, {}, credentials);
  }
}

/** The properties the caller may read; the others are left out, as Glance does. */
export function filterReadable<Value>(
  properties: Readonly<Record<string, Value>>,
  protections: PropertyProtections,
  credentials: Credentials,
  policies: PolicyDecider,
): Record<string, Value> {
  return Object.fromEntries(
    Object.entries(properties).filter(([name]) => isAllowed(protections, name, 'read', credentials, policies)),
  );
}
