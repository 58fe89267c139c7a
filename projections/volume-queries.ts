// Reads of the volumes read model: one volume, and a project's (or, for admins, every
// project's) volumes newest first with marker paging. Deleted volumes are not shown.
import type { VolumeRequest } from '../domain/volume/events.js';
import type { VolumeState } from '../domain/volume/volume.js';
import type { ReadModelDatabase } from './read-model.js';

interface VolumeRow {
  id: string;
  updated_at: string;
  state: string;
}

/** A volume as the API shows it: the folded state (with its request) and when it last changed. */
export interface VolumeRecord {
  id: string;
  state: VolumeState & { request: VolumeRequest };
  updatedAt: string;
}

export interface VolumeListQuery {
  /** Null lists every project's volumes (admins with all_tenants). */
  projectId: string | null;
  /** Id of the last volume of the previous page. */
  marker: string | null;
  limit: number;
}

function toRecord(row: VolumeRow): VolumeRecord {
  return { id: row.id, state: JSON.parse(row.state) as VolumeRecord['state'], updatedAt: row.updated_at };
}

export function volumeQueries(db: ReadModelDatabase) {
  const byId = db.prepare<[string], VolumeRow>(`SELECT id, updated_at, state FROM volumes WHERE id = ? AND status != 'deleted'`);
  const createdAt = db.prepare<[string], { created_at: string }>('SELECT created_at FROM volumes WHERE id = ?');
  const inFlight = db.prepare<[], VolumeRow>(`SELECT id, updated_at, state FROM volumes WHERE status IN ('creating', 'deleting')`);
  return {
    /** Volumes whose create or delete has not ended: an API restart makes sure their workflows run. */
    pending: (): VolumeRecord[] => inFlight.all().map(toRecord),
    volume(id: string): VolumeRecord | undefined {
      const row = byId.get(id);
      return row ? toRecord(row) : undefined;
    },
    /** One page; undefined when the marker names no volume the query admits. */
    list(query: VolumeListQuery): VolumeRecord[] | undefined {
      const conditions = [`status != 'deleted'`];
      const params: Record<string, string | number> = { limit: query.limit };
      if (query.projectId !== null) {
        conditions.push('project_id = @project_id');
        params.project_id = query.projectId;
      }
      if (query.marker !== null) {
        const marker = createdAt.get(query.marker);
        if (!marker) return undefined;
        // Keyset paging over (created_at, id) descending: the rows after the marker.
        conditions.push('(created_at < @marker_created OR (created_at = @marker_created AND id < @marker))');
        params.marker = query.marker;
        params.marker_created = marker.created_at;
      }
      const sql = `SELECT id, updated_at, state FROM volumes WHERE ${conditions.join(' AND ')} ORDER BY created_at DESC, id DESC LIMIT @limit`;
      return db.prepare<[Record<string, string | number>], VolumeRow>(sql).all(params).map(toRecord);
    },
  };
}

export type VolumeQueries = ReturnType<typeof volumeQueries>;
