// The server groups read model: each group with its policy and members, as Nova's
// os-server-groups lists and shows them. Deleted groups leave the tables.
import type { Statement } from 'better-sqlite3';
import type { ServerGroupEvent } from '../domain/compute/server-group.js';
import { serverGroupEventSchemas, serverGroupStream } from '../domain/compute/server-group.js';
import type { RecordedEvent } from '../eventstore/port.js';
import { defineProjection } from './projection.js';

const TABLES = ['server_groups', 'server_group_members'] as const;

type Row = Record<string, string | number | null>;
type Statements = Record<ServerGroupEvent['type'], Array<Statement<[Row]>>>;

const GROUP_STREAM_PREFIX = serverGroupStream('');

export const serverGroupsProjection = defineProjection({
  name: 'server_groups',
  version: 1,
  tables: TABLES,
  filter: { eventTypes: Object.keys(serverGroupEventSchemas) },
  createTables: (t) => `
    CREATE TABLE ${t.server_groups} (id TEXT PRIMARY KEY, name TEXT NOT NULL, policy TEXT NOT NULL, max_server_per_host INTEGER,
      project_id TEXT NOT NULL, user_id TEXT NOT NULL, created_at TEXT NOT NULL) STRICT;
    CREATE TABLE ${t.server_group_members} (group_id TEXT NOT NULL, instance_id TEXT NOT NULL, host TEXT,
      joined_position INTEGER NOT NULL, PRIMARY KEY (group_id, instance_id)) STRICT`,
  createIndexes: (t) => `CREATE INDEX ${t.server_groups}_by_project ON ${t.server_groups} (project_id)`,
  prepare: (db, t): Statements => {
    const run = (...sql: string[]) => sql.map((text) => db.prepare<[Row]>(text));
    return {
      'ServerGroupCreated.v1': run(
        `INSERT OR REPLACE INTO ${t.server_groups} VALUES (@groupId, @name, @policy, @maxServerPerHost, @projectId, @userId, @createdAt)`,
      ),
      // A member keeps the position it joined at, so members list in joining order.
      'ServerGroupMemberPlaced.v1': run(
        `INSERT INTO ${t.server_group_members} VALUES (@groupId, @instanceId, @host, @position)
         ON CONFLICT (group_id, instance_id) DO UPDATE SET host = excluded.host`,
      ),
      'ServerGroupMemberUnplaced.v1': run(`UPDATE ${t.server_group_members} SET host = NULL WHERE group_id = @groupId AND instance_id = @instanceId`),
      'ServerGroupMemberRemoved.v1': run(`DELETE FROM ${t.server_group_members} WHERE group_id = @groupId AND instance_id = @instanceId`),
      'ServerGroupDeleted.v1': run(
        `DELETE FROM ${t.server_groups} WHERE id = @groupId`,
        `DELETE FROM ${t.server_group_members} WHERE group_id = @groupId`,
      ),
    };
  },
  apply: (statements, event: RecordedEvent) => {
    const { type, data } = event as unknown as ServerGroupEvent;
    const row: Row = { ...(data as Row), groupId: event.stream.slice(GROUP_STREAM_PREFIX.length), position: event.position };
    for (const statement of statements[type]) statement.run(row);
  },
});
