// The authenticated caller of a request, and its view as oslo.policy credentials.
import { expandImpliedRoles } from '../policy/roles.js';
import type { Credentials } from '../policy/credentials.js';

export interface Caller {
  userId: string;
  userName: string;
  domainId: string;
  /** Null for an unscoped token. */
  project: { id: string; name: string } | null;
  /** Roles granted on the project, implied roles included (admin ⇒ member ⇒ reader). */
  roles: Array<{ id: string; name: string }>;
  auditId: string;
  methods: string[];
  issuedAt: string;
  expiresAt: string;
}

export function credentialsOf(caller: Caller): Credentials {
  const roles = caller.roles.map((role) => role.name);
  return {
    user_id: caller.userId,
    project_id: caller.project?.id ?? null,
    roles,
    is_admin: roles.some((role) => role.toLowerCase() === 'admin'),
  };
}

/** Expands granted roles with the roles they imply, keeping ids where the directory has them. */
export function withImpliedRoles(granted: Array<{ id: string; name: string }>, allRoles: Array<{ id: string; name: string }>): Array<{ id: string; name: string }> {
  return expandImpliedRoles(granted.map((role) => role.name)).map(
    (name) => allRoles.find((role) => role.name.toLowerCase() === name.toLowerCase()) ?? { id: name, name },
  );
}
