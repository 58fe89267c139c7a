// The identity read model: projects, users, roles, grants and tokens as Keystone lists
// and validates them. Tokens are looked up by the sha-256 of their value.
import type { Statement } from 'better-sqlite3';
import type { IdentityEvent } from '../domain/identity/events.js';
import { identityEventSchemas } from '../domain/identity/events.js';
import type { RecordedEvent } from '../eventstore/port.js';
import { defineProjection } from './projection.js';

const TABLES = ['identity_projects', 'identity_users', 'identity_roles', 'identity_grants', 'identity_tokens'] as const;

type Row = Record<string, string | number | null>;
type Statements = Record<IdentityEvent['type'], Array<Statement<[Row]>>>;

export const identityProjection = defineProjection({
  name: 'identity',
  version: 1,
  tables: TABLES,
  filter: { eventTypes: Object.keys(identityEventSchemas) },
  createTables: (t) => `
    CREATE TABLE ${t.identity_projects} (id TEXT PRIMARY KEY, name TEXT NOT NULL, domain_id TEXT NOT NULL,
      description TEXT NOT NULL, enabled INTEGER NOT NULL) STRICT;
    CREATE TABLE ${t.identity_users} (id TEXT PRIMARY KEY, name TEXT NOT NULL, domain_id TEXT NOT NULL,
      password_hash TEXT NOT NULL, enabled INTEGER NOT NULL, email TEXT, default_project_id TEXT) STRICT;
    CREATE TABLE ${t.identity_roles} (id TEXT PRIMARY KEY, name TEXT NOT NULL) STRICT;
    CREATE TABLE ${t.identity_grants} (user_id TEXT NOT NULL, project_id TEXT NOT NULL, role_id TEXT NOT NULL,
      PRIMARY KEY (user_id, project_id, role_id)) STRICT;
    CREATE TABLE ${t.identity_tokens} (hash TEXT PRIMARY KEY, audit_id TEXT NOT NULL, user_id TEXT NOT NULL,
      project_id TEXT, roles TEXT NOT NULL, methods TEXT NOT NULL, issued_at TEXT NOT NULL, expires_at TEXT NOT NULL,
      revoked INTEGER NOT NULL DEFAULT 0) STRICT`,
  createIndexes: (t) => `
    CREATE INDEX ${t.identity_projects}_by_name ON ${t.identity_projects} (name);
    CREATE INDEX ${t.identity_users}_by_name ON ${t.identity_users} (name);
    CREATE INDEX ${t.identity_grants}_by_project ON ${t.identity_grants} (project_id)`,
  prepare: (db, t): Statements => {
    const run = (...sql: string[]) => sql.map((text) => db.prepare<[Row]>(text));
    return {
      'ProjectCreated.v1': run(`INSERT OR REPLACE INTO ${t.identity_projects} VALUES (@projectId, @name, @domainId, @description, @enabled)`),
      'ProjectUpdated.v1': run(
        `UPDATE ${t.identity_projects} SET name = coalesce(@name, name), description = coalesce(@description, description),
           enabled = coalesce(@enabled, enabled) WHERE id = @projectId`,
      ),
      'ProjectDeleted.v1': run(
        `DELETE FROM ${t.identity_projects} WHERE id = @projectId`,
        `DELETE FROM ${t.identity_grants} WHERE project_id = @projectId`,
      ),
      'UserCreated.v1': run(
        `INSERT OR REPLACE INTO ${t.identity_users} VALUES (@userId, @name, @domainId, @passwordHash, @enabled, @email, @defaultProjectId)`,
      ),
      'UserUpdated.v1': run(
        `UPDATE ${t.identity_users} SET enabled = coalesce(@enabled, enabled),
           email = CASE WHEN @emailSet THEN @email ELSE email END,
           default_project_id = CASE WHEN @defaultProjectIdSet THEN @defaultProjectId ELSE default_project_id END
         WHERE id = @userId`,
      ),
      'UserPasswordChanged.v1': run(`UPDATE ${t.identity_users} SET password_hash = @passwordHash WHERE id = @userId`),
      'UserDeleted.v1': run(
        `DELETE FROM ${t.identity_users} WHERE id = @userId`,
        `DELETE FROM ${t.identity_grants} WHERE user_id = @userId`,
        `UPDATE ${t.identity_tokens} SET revoked = 1 WHERE user_id = @userId`,
      ),
      'RoleCreated.v1': run(`INSERT OR REPLACE INTO ${t.identity_roles} VALUES (@roleId, @name)`),
      'RoleGranted.v1': run(`INSERT OR IGNORE INTO ${t.identity_grants} VALUES (@userId, @projectId, @roleId)`),
      'RoleRevoked.v1': run(`DELETE FROM ${t.identity_grants} WHERE user_id = @userId AND project_id = @projectId AND role_id = @roleId`),
      'TokenIssued.v1': run(
        `INSERT OR REPLACE INTO ${t.identity_tokens} VALUES (@tokenHash, @auditId, @userId, @projectId, @roles, @methods, @issuedAt, @expiresAt, 0)`,
      ),
      'TokenRevoked.v1': run(`UPDATE ${t.identity_tokens} SET revoked = 1 WHERE hash = @tokenHash`),
    };
  },
  apply: (statements, event: RecordedEvent) => {
    const { type, data } = event as unknown as IdentityEvent;
    const row = toRow(data);
    for (const statement of statements[type]) statement.run(row);
  },
});

/** SQLite takes numbers and strings: booleans become 0/1, arrays JSON; absent keys are null. */
function toRow(data: object): Row {
  const row: Row = {};
  for (const [key, value] of Object.entries(data)) {
    row[key] = typeof value === 'boolean' ? Number(value) : Array.isArray(value) ? JSON.stringify(value) : (value as string | number | null);
    row[`${key}Set`] = 1;
  }
  for (const key of ['name', 'description', 'enabled', 'email', 'defaultProjectId']) {
    if (!(key in row)) {
      row[key] = null;
      row[`${key}Set`] = 0;
    }
  }
  return row;
}
