// Reads of the identity read model, shaped as the identity service needs them.
import type { ReadModelDatabase } from './read-model.js';

export interface ProjectRow {
  id: string;
  name: string;
  domain_id: string;
  description: string;
  enabled: number;
}

export interface UserRow {
  id: string;
  name: string;
  domain_id: string;
  password_hash: string;
  enabled: number;
  email: string | null;
  default_project_id: string | null;
}

export interface RoleRow {
  id: string;
  name: string;
}

export interface TokenRow {
  hash: string;
  audit_id: string;
  user_id: string;
  project_id: string | null;
  methods: string;
  issued_at: string;
  expires_at: string;
  revoked: number;
}

export interface GrantRow {
  user_id: string;
  project_id: string;
  role_id: string;
}

export function identityQueries(db: ReadModelDatabase) {
  const projectById = db.prepare<[string], ProjectRow>('SELECT * FROM identity_projects WHERE id = ?');
  const projectByName = db.prepare<[string], ProjectRow>('SELECT * FROM identity_projects WHERE name = ?');
  const projects = db.prepare<[], ProjectRow>('SELECT * FROM identity_projects ORDER BY name');
  const userById = db.prepare<[string], UserRow>('SELECT * FROM identity_users WHERE id = ?');
  const userByName = db.prepare<[string], UserRow>('SELECT * FROM identity_users WHERE name = ?');
  const users = db.prepare<[], UserRow>('SELECT * FROM identity_users ORDER BY name');
  const roleById = db.prepare<[string], RoleRow>('SELECT * FROM identity_roles WHERE id = ?');
  const roleByName = db.prepare<[string], RoleRow>('SELECT * FROM identity_roles WHERE name = ?');
  const roles = db.prepare<[], RoleRow>('SELECT * FROM identity_roles ORDER BY name');
  const rolesOnProject = db.prepare<[string, string], RoleRow>(
    `SELECT r.id, r.name FROM identity_grants g JOIN identity_roles r ON r.id = g.role_id
      WHERE g.user_id = ? AND g.project_id = ? ORDER BY r.name`,
  );
  const projectsOfUser = db.prepare<[string], ProjectRow>(
    `SELECT DISTINCT p.* FROM identity_grants g JOIN identity_projects p ON p.id = g.project_id WHERE g.user_id = ? ORDER BY p.name`,
  );
  const grants = db.prepare<[], GrantRow>('SELECT * FROM identity_grants ORDER BY user_id, project_id, role_id');
  const tokenByHash = db.prepare<[string], TokenRow>('SELECT * FROM identity_tokens WHERE hash = ?');
  return {
    project: (idOrName: { id?: string; name?: string }) =>
      idOrName.id !== undefined ? projectById.get(idOrName.id) : idOrName.name !== undefined ? projectByName.get(idOrName.name) : undefined,
    projects: () => projects.all(),
    user: (idOrName: { id?: string; name?: string }) =>
      idOrName.id !== undefined ? userById.get(idOrName.id) : idOrName.name !== undefined ? userByName.get(idOrName.name) : undefined,
    users: () => users.all(),
    role: (idOrName: { id?: string; name?: string }) =>
      idOrName.id !== undefined ? roleById.get(idOrName.id) : idOrName.name !== undefined ? roleByName.get(idOrName.name) : undefined,
    roles: () => roles.all(),
    rolesOnProject: (userId: string, projectId: string) => rolesOnProject.all(userId, projectId),
    projectsOfUser: (userId: string) => projectsOfUser.all(userId),
    grants: () => grants.all(),
    token: (hash: string) => tokenByHash.get(hash),
  };
}

export type IdentityQueries = ReturnType<typeof identityQueries>;
