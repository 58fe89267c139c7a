// The identity directory of one domain: its projects, users, roles and role grants.
// Decides identity commands against the folded state; names are unique per kind.
import type { Decider } from '../decider.js';
import { DomainError } from '../decider.js';
import type { IdentityEvent, IdentityEventData } from './events.js';

export interface ProjectRecord {
  name: string;
  description: string;
  enabled: boolean;
}

export interface UserRecord {
  name: string;
  passwordHash: string;
  enabled: boolean;
  email: string | null;
  defaultProjectId: string | null;
  /** `<projectId>:<roleId>` of every grant. */
  grants: Set<string>;
}

export interface DirectoryState {
  projects: Map<string, ProjectRecord>;
  users: Map<string, UserRecord>;
  roles: Map<string, string>;
}

export type DirectoryCommand =
  | { kind: 'createProject'; data: Omit<IdentityEventData<'ProjectCreated.v1'>, 'domainId'> }
  | { kind: 'updateProject'; data: IdentityEventData<'ProjectUpdated.v1'> }
  | { kind: 'deleteProject'; projectId: string }
  | { kind: 'createUser'; data: Omit<IdentityEventData<'UserCreated.v1'>, 'domainId'> }
  | { kind: 'updateUser'; data: IdentityEventData<'UserUpdated.v1'> }
  | { kind: 'changePassword'; data: IdentityEventData<'UserPasswordChanged.v1'> }
  | { kind: 'deleteUser'; userId: string }
  | { kind: 'createRole'; data: IdentityEventData<'RoleCreated.v1'> }
  | { kind: 'grantRole'; data: IdentityEventData<'RoleGranted.v1'> }
  | { kind: 'revokeRole'; data: IdentityEventData<'RoleRevoked.v1'> };

export const DEFAULT_DOMAIN = { id: 'default', name: 'Default' } as const;

function nameTaken(records: Iterable<[string, { name: string }]>, name: string, except?: string): boolean {
  for (const [id, record] of records) if (record.name === name && id !== except) return true;
  return false;
}

function project(state: DirectoryState, projectId: string): ProjectRecord {
  const found = state.projects.get(projectId);
  if (!found) throw new DomainError('not_found', `Could not find project: ${projectId}.`);
  return found;
}

function user(state: DirectoryState, userId: string): UserRecord {
  const found = state.users.get(userId);
  if (!found) throw new DomainError('not_found', `Could not find user: ${userId}.`);
  return found;
}

function role(state: DirectoryState, roleId: string): string {
  const found = state.roles.get(roleId);
  if (found === undefined) throw new DomainError('not_found', `Could not find role: ${roleId}.`);
  return found;
}

function decide(command: DirectoryCommand, state: DirectoryState): IdentityEvent[] {
  switch (command.kind) {
    case 'createProject': {
      const { data } = command;
      if (nameTaken(state.projects, data.name)) throw new DomainError('conflict', `Conflict occurred attempting to store project - it is already in use: ${data.name}.`);
      return [{ type: 'ProjectCreated.v1', data: { ...data, domainId: DEFAULT_DOMAIN.id } }];
    }
    case 'updateProject': {
      project(state, command.data.projectId);
      if (command.data.name !== undefined && nameTaken(state.projects, command.data.name, command.data.projectId)) {
        throw new DomainError('conflict', `Conflict occurred attempting to store project - it is already in use: ${command.data.name}.`);
      }
      return [{ type: 'ProjectUpdated.v1', data: command.data }];
    }
    case 'deleteProject':
      project(state, command.projectId);
      return [{ type: 'ProjectDeleted.v1', data: { projectId: command.projectId } }];
    case 'createUser': {
      const { data } = command;
      if (nameTaken(state.users, data.name)) throw new DomainError('conflict', `Conflict occurred attempting to store user - it is already in use: ${data.name}.`);
      if (data.defaultProjectId !== null) project(state, data.defaultProjectId);
      return [{ type: 'UserCreated.v1', data: { ...data, domainId: DEFAULT_DOMAIN.id } }];
    }
    case 'updateUser':
      user(state, command.data.userId);
      if (command.data.defaultProjectId) project(state, command.data.defaultProjectId);
      return [{ type: 'UserUpdated.v1', data: command.data }];
    case 'changePassword':
      user(state, command.data.userId);
      return [{ type: 'UserPasswordChanged.v1', data: command.data }];
    case 'deleteUser':
      user(state, command.userId);
      return [{ type: 'UserDeleted.v1', data: { userId: command.userId } }];
    case 'createRole':
      if (nameTaken([...state.roles].map(([id, name]) => [id, { name }]), command.data.name)) {
        throw new DomainError('conflict', `Conflict occurred attempting to store role - it is already in use: ${command.data.name}.`);
      }
      return [{ type: 'RoleCreated.v1', data: command.data }];
    case 'grantRole': {
      const { userId, projectId, roleId } = command.data;
      const grantee = user(state, userId);
      project(state, projectId);
      role(state, roleId);
      return grantee.grants.has(`${projectId}:${roleId}`) ? [] : [{ type: 'RoleGranted.v1', data: command.data }];
    }
    case 'revokeRole': {
      const { userId, projectId, roleId } = command.data;
      if (!user(state, userId).grants.has(`${projectId}:${roleId}`)) {
        throw new DomainError('not_found', `Could not find role assignment with role: ${roleId}, user or group: ${userId}, project, domain, or system: ${projectId}.`);
      }
      return [{ type: 'RoleRevoked.v1', data: command.data }];
    }
  }
}

function evolve(state: DirectoryState, event: IdentityEvent): DirectoryState {
  switch (event.type) {
    case 'ProjectCreated.v1':
      state.projects.set(event.data.projectId, { name: event.data.name, description: event.data.description, enabled: event.data.enabled });
      break;
    case 'ProjectUpdated.v1': {
      const { projectId, ...changes } = event.data;
      const current = state.projects.get(projectId);
      if (current) state.projects.set(projectId, { ...current, ...definedOnly(changes) });
      break;
    }
    case 'ProjectDeleted.v1':
      state.projects.delete(event.data.projectId);
      for (const record of state.users.values()) {
        for (const grant of record.grants) if (grant.startsWith(`${event.data.projectId}:`)) record.grants.delete(grant);
      }
      break;
    case 'UserCreated.v1': {
      const { userId, name, passwordHash, enabled, email, defaultProjectId } = event.data;
      state.users.set(userId, { name, passwordHash, enabled, email, defaultProjectId, grants: new Set() });
      break;
    }
    case 'UserUpdated.v1': {
      const { userId, ...changes } = event.data;
      const current = state.users.get(userId);
      if (current) state.users.set(userId, { ...current, ...definedOnly(changes) });
      break;
    }
    case 'UserPasswordChanged.v1': {
      const current = state.users.get(event.data.userId);
      if (current) current.passwordHash = event.data.passwordHash;
      break;
    }
    case 'UserDeleted.v1':
      state.users.delete(event.data.userId);
      break;
    case 'RoleCreated.v1':
      state.roles.set(event.data.roleId, event.data.name);
      break;
    case 'RoleGranted.v1':
      state.users.get(event.data.userId)?.grants.add(`${event.data.projectId}:${event.data.roleId}`);
      break;
    case 'RoleRevoked.v1':
      state.users.get(event.data.userId)?.grants.delete(`${event.data.projectId}:${event.data.roleId}`);
      break;
    case 'TokenIssued.v1':
    case 'TokenRevoked.v1':
      break;
  }
  return state;
}

function definedOnly<T extends object>(changes: T): Partial<T> {
  return Object.fromEntries(Object.entries(changes).filter(([, value]) => value !== undefined)) as Partial<T>;
}

export const directoryDecider: Decider<DirectoryState, DirectoryCommand, IdentityEvent> = {
  initialState: () => ({ projects: new Map(), users: new Map(), roles: new Map() }),
  evolve,
  decide,
};

export function directoryStream(domainId: string = DEFAULT_DOMAIN.id): string {
  return `domain-${domainId}`;
}
