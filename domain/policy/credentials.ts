// What policy rules are evaluated against: the caller (oslo's context dict naming) and the
// object of the operation.

/**
 * The caller, as oslo.context's `to_policy_values()` names it. `roles` is expected to be
 * already expanded with implied roles (Keystone puts `member` and `reader` in an admin's
 * token); see expandImpliedRoles.
 */
export interface Credentials {
  readonly user_id: string;
  readonly project_id: string | null;
  readonly roles: readonly string[];
  readonly is_admin?: boolean;
  /** `all` for a system-scoped token; oslo also exposes it as `system`. */
  readonly system_scope?: string;
  readonly [attribute: string]: unknown;
}

/**
 * Attributes of the object acted on, e.g. `{ project_id, owner, visibility, member_id }`.
 * Keys are looked up literally: `%(target.project.id)s` needs a key "target.project.id"
 * (Keystone flattens nested targets before enforcing; oslo itself does not).
 */
export type PolicyTarget = Readonly<Record<string, unknown>>;
