// Changes to the identity directory (projects, users, roles, grants), each one command
// on the domain's stream, answered once the read model shows it (read-your-writes).
import type { IdentityEventData } from '../../domain/identity/events.js';
import type { DirectoryCommand } from '../../domain/identity/directory.js';
import { directoryDecider, directoryStream } from '../../domain/identity/directory.js';
import { hashPassword } from '../../domain/identity/password.js';
import type { EventMetadata, EventStore } from '../../eventstore/port.js';
import type { ProjectionRunner } from '../../projections/runner.js';
import { handleCommand } from '../handle-command.js';
import { newKeystoneId } from './ids.js';
import { READ_YOUR_WRITES_TIMEOUT_MS } from '../timeouts.js';

export interface NewUser {
  name: string;
  password: string;
  enabled: boolean;
  email: string | null;
  defaultProjectId: string | null;
}

export class DirectoryService {
  constructor(
    private readonly events: EventStore,
    private readonly projections: ProjectionRunner,
  ) {}

  private async run(command: DirectoryCommand, metadata: EventMetadata): Promise<void> {
    const { position } = await handleCommand(this.events, directoryDecider, directoryStream(), command, { metadata });
    if (position > 0) await this.projections.waitFor(position, READ_YOUR_WRITES_TIMEOUT_MS);
  }

  async createProject(data: { name: string; description: string; enabled: boolean }, metadata: EventMetadata): Promise<string> {
    const projectId = newKeystoneId();
    await this.run({ kind: 'createProject', data: { projectId, ...data } }, metadata);
    return projectId;
  }

  updateProject(data: IdentityEventData<'ProjectUpdated.v1'>, metadata: EventMetadata): Promise<void> {
    return this.run({ kind: 'updateProject', data }, metadata);
  }

  deleteProject(projectId: string, metadata: EventMetadata): Promise<void> {
    return this.run({ kind: 'deleteProject', projectId }, metadata);
  }

  async createUser(user: NewUser, metadata: EventMetadata): Promise<string> {
    const userId = newKeystoneId();
    const { password, ...rest } = user;
    await this.run({ kind: 'createUser', data: { userId, ...rest, passwordHash: await hashPassword(password) } }, metadata);
    return userId;
  }

  async updateUser(data: IdentityEventData<'UserUpdated.v1'> & { password?: string }, metadata: EventMetadata): Promise<void> {
    const { password, ...changes } = data;
    if (password !== undefined) await this.run({ kind: 'changePassword', data: { userId: data.userId, passwordHash: await hashPassword(password) } }, metadata);
    const changed = Object.entries(changes).some(([key, value]) => key !== 'userId' && value !== undefined);
    if (changed) await this.run({ kind: 'updateUser', data: changes }, metadata);
  }

  deleteUser(userId: string, metadata: EventMetadata): Promise<void> {
    return this.run({ kind: 'deleteUser', userId }, metadata);
  }

  async createRole(name: string, metadata: EventMetadata): Promise<string> {
    const roleId = newKeystoneId();
    await this.run({ kind: 'createRole', data: { roleId, name } }, metadata);
    return roleId;
  }

  grantRole(data: IdentityEventData<'RoleGranted.v1'>, metadata: EventMetadata): Promise<void> {
    return this.run({ kind: 'grantRole', data }, metadata);
  }

  revokeRole(data: IdentityEventData<'RoleRevoked.v1'>, metadata: EventMetadata): Promise<void> {
    return this.run({ kind: 'revokeRole', data }, metadata);
  }
}
