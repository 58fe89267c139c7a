// Keystone's implied roles. A token carries the roles a user was granted plus every role
// those imply, so `role:reader` passes for members and admins without each rule saying so.

/** Keystone's bootstrap chain of the modern defaults: admin ⇒ member ⇒ reader. */
export const DEFAULT_ROLE_IMPLICATIONS: ReadonlyMap<string, readonly string[]> = new Map([
  ['admin', ['member']],
  ['member', ['reader']],
]);

/**
 * The roles plus all roles they imply (transitively), granted roles first and in their
 * order. Role names compare case-insensitively, as `role:` checks do.
 */
export function expandImpliedRoles(
  roles: readonly string[],
  implications: ReadonlyMap<string, readonly string[]> = DEFAULT_ROLE_IMPLICATIONS,
): string[] {
  const expanded: string[] = [];
  const seen = new Set<string>();
  const pending = [...roles];
  for (let role = pending.shift(); role !== undefined; role = pending.shift()) {
    const key = role.toLowerCase();
    if (seen.has(key)) continue;
    seen.add(key);
    expanded.push(role);
    pending.push(...(implications.get(key) ?? []));
  }
  return expanded;
}
