// Reads of the instances read model: one instance, pages of the list with Nova's filters
// (newest first, marker paging), and the instances still building.
import type { InstanceRequest, InstanceState, VmState } from '../domain/compute/instance.js';
import type { ReadModelDatabase } from './read-model.js';

interface InstanceRow {
  id: string;
  created_at: string;
  updated_at: string;
  state: string;
}

/** An instance as the API shows it: the folded state (with its request) and its times. */
export interface InstanceRecord {
  id: string;
  state: InstanceState & { request: InstanceRequest };
  createdAt: string;
  updatedAt: string;
}

export interface InstanceListQuery {
  /** Null lists every project's instances (admins with all_tenants). */
  projectId: string | null;
  /** A regular expression searched for in the name, as Nova's `name` filter. */
  namePattern: RegExp | null;
  /** Null admits every state but deleted; an empty list admits none. */
  vmStates: VmState[] | null;
  imageId: string | null;
  flavorId: string | null;
  host: string | null;
  /** ISO time: only instances changed at or after it. */
  changesSince: string | null;
  /** Id of the last instance of the previous page. */
  marker: string | null;
  limit: number;
}

function toRecord(row: InstanceRow): InstanceRecord {
  return { id: row.id, state: JSON.parse(row.state) as InstanceRecord['state'], createdAt: row.created_at, updatedAt: row.updated_at };
}

type Params = Record<string, string | number>;

export function instanceQueries(db: ReadModelDatabase) {
  // The name filter is a regular expression; it reaches SQLite as its source, compiled once per query.
  let compiled = /(?:)/;
  db.function('strata_regexp', { deterministic: true }, (pattern, value) => {
    if (compiled.source !== pattern) compiled = new RegExp(String(pattern));
    return Number(compiled.test(String(value)));
  });
  const byId = db.prepare<[string], InstanceRow>('SELECT id, created_at, updated_at, state FROM instances WHERE id = ?');
  const building = db.prepare<[], InstanceRow>(`SELECT id, created_at, updated_at, state FROM instances WHERE vm_state = 'building' ORDER BY created_at, id`);

  const filters = (query: InstanceListQuery): { conditions: string[]; params: Params } => {
    const conditions: string[] = [];
    const params: Params = {};
    const equal = (column: string, value: string | null) => {
      if (value === null) return;
      conditions.push(`${column} = @${column}`);
      params[column] = value;
    };
    equal('project_id', query.projectId);
    equal('image_id', query.imageId);
    equal('flavor_id', query.flavorId);
    equal('host', query.host);
    if (query.namePattern) {
      conditions.push('strata_regexp(@name_pattern, name)');
      params.name_pattern = query.namePattern.source;
    }
    if (query.changesSince !== null) {
      conditions.push('updated_at >= @changes_since');
      params.changes_since = query.changesSince;
    }
    const states = query.vmStates ?? ['building', 'active', 'stopped', 'error'];
    conditions.push(`vm_state IN (SELECT value FROM json_each(@vm_states))`);
    params.vm_states = JSON.stringify(states);
    return { conditions, params };
  };

  return {
    instance(id: string): InstanceRecord | undefined {
      const row = byId.get(id);
      return row ? toRecord(row) : undefined;
    },
    /** One page, newest first; undefined when the marker names no instance the filters admit. */
    list(query: InstanceListQuery): InstanceRecord[] | undefined {
      const { conditions, params } = filters(query);
      if (query.marker !== null) {
        const marker = db
          .prepare<[Params], InstanceRow>(`SELECT id, created_at, updated_at, state FROM instances WHERE ${conditions.join(' AND ')} AND id = @marker`)
          .get({ ...params, marker: query.marker });
        if (!marker) return undefined;
        conditions.push('(created_at < @marker_created OR (created_at = @marker_created AND id < @marker))');
        Object.assign(params, { marker: marker.id, marker_created: marker.created_at });
      }
      const sql = `SELECT id, created_at, updated_at, state FROM instances WHERE ${conditions.join(' AND ')} ORDER BY created_at DESC, id DESC LIMIT @limit`;
      return db.prepare<[Params], InstanceRow>(sql).all({ ...params, limit: query.limit }).map(toRecord);
    },
    /** Instances whose launch has not finished, oldest first. */
    building: (): InstanceRecord[] => building.all().map(toRecord),
  };
}

export type InstanceQueries = ReturnType<typeof instanceQueries>;
