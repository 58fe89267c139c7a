// Reads of the server groups read model, shaped as the os-server-groups API shows them.
import type { ServerGroup } from '../domain/compute/server-group.js';
import type { ReadModelDatabase } from './read-model.js';

export interface ServerGroupRecord extends ServerGroup {
  /** Member instance ids, in the order they joined. */
  members: string[];
}

interface GroupRow {
  id: string;
  name: string;
  policy: ServerGroup['policy'];
  max_server_per_host: number | null;
  project_id: string;
  user_id: string;
  created_at: string;
}

export function serverGroupQueries(db: ReadModelDatabase) {
  const byId = db.prepare<[string], GroupRow>('SELECT * FROM server_groups WHERE id = ?');
  const all = db.prepare<[], GroupRow>('SELECT * FROM server_groups ORDER BY created_at, id');
  const ofProject = db.prepare<[string], GroupRow>('SELECT * FROM server_groups WHERE project_id = ? ORDER BY created_at, id');
  const members = db.prepare<[string], string>('SELECT instance_id FROM server_group_members WHERE group_id = ? ORDER BY joined_position').pluck();
  const record = (row: GroupRow): ServerGroupRecord => ({
    groupId: row.id,
    name: row.name,
    policy: row.policy,
    maxServerPerHost: row.max_server_per_host,
    projectId: row.project_id,
    userId: row.user_id,
    createdAt: row.created_at,
    members: members.all(row.id),
  });
  return {
    group: (groupId: string) => {
      const row = byId.get(groupId);
      return row && record(row);
    },
    /** Every project's groups when `projectId` is null (admins' `all_projects`). */
    list: (projectId: string | null) => (projectId === null ? all.all() : ofProject.all(projectId)).map(record),
  };
}

export type ServerGroupQueries = ReturnType<typeof serverGroupQueries>;
