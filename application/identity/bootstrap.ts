// Like `keystone-manage bootstrap`: makes sure the default roles, the admin project and the
// admin user (with the configured password and the admin role) exist. Safe to run at every
// start and from several API processes at once.
import { DomainError } from '../../domain/decider.js';
import { verifyPassword } from '../../domain/identity/password.js';
import type { StrataConfig } from '../../config/schema.js';
import type { IdentityQueries } from '../../projections/identity-queries.js';
import type { EventMetadata } from '../../eventstore/port.js';
import type { DirectoryService } from './directory.js';

export const DEFAULT_ROLES = ['reader', 'member', 'admin'] as const;

/** A create that lost a race to another process is as good as done. */
async function ensure(create: () => Promise<unknown>): Promise<void> {
  try {
    await create();
  } catch (error) {
    if (!(error instanceof DomainError && error.kind === 'conflict')) throw error;
  }
}

export async function bootstrapIdentity(
  identity: StrataConfig['identity'],
  directory: DirectoryService,
  queries: IdentityQueries,
  metadata: EventMetadata,
): Promise<void> {
  for (const name of DEFAULT_ROLES) {
    if (!queries.role({ name })) await ensure(() => directory.createRole(name, metadata));
  }
  if (!queries.project({ name: identity.adminProject })) {
    await ensure(() => directory.createProject({ name: identity.adminProject, description: 'Bootstrap project for initializing the cloud.', enabled: true }, metadata));
  }
  const project = queries.project({ name: identity.adminProject });
  const existing = queries.user({ name: identity.adminUser });
  if (!existing) {
    await ensure(() =>
      directory.createUser({ name: identity.adminUser, password: identity.adminPassword, enabled: true, email: null, defaultProjectId: project?.id ?? null }, metadata),
    );
  } else if (!(await verifyPassword(identity.adminPassword, existing.password_hash))) {
    await directory.updateUser({ userId: existing.id, password: identity.adminPassword }, metadata);
  }
  const user = queries.user({ name: identity.adminUser });
  const admin = queries.role({ name: 'admin' });
  if (!user || !project || !admin) throw new Error('identity bootstrap did not complete: admin user, project or role missing');
  await directory.grantRole({ userId: user.id, projectId: project.id, roleId: admin.id }, metadata);
}
