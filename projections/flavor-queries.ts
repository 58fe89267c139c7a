// Reads of the flavors read model: one flavor, and pages of the list with Nova's filters
// (public/private, minimum RAM and disk), sort keys and marker.
import type { Flavor } from '../domain/compute/flavor.js';
import type { ReadModelDatabase } from './read-model.js';

interface FlavorRow {
  id: string;
  name: string;
  vcpus: number;
  ram_mb: number;
  disk_gb: number;
  ephemeral_gb: number;
  swap_mb: number;
  is_public: number;
  description: string | null;
  created_at: string;
}

/** Nova's flavor sort keys, by the column that holds each. */
export const FLAVOR_SORT_COLUMNS = {
  flavorid: 'id',
  id: 'id',
  name: 'name',
  memory_mb: 'ram_mb',
  root_gb: 'disk_gb',
  ephemeral_gb: 'ephemeral_gb',
  swap: 'swap_mb',
  vcpus: 'vcpus',
  is_public: 'is_public',
  created_at: 'created_at',
} as const;
export type FlavorSortKey = keyof typeof FLAVOR_SORT_COLUMNS;

export interface FlavorListQuery {
  /** true: public only; false: private only; null: both. */
  isPublic: boolean | null;
  minRamMb: number | null;
  minDiskGb: number | null;
  sortKey: FlavorSortKey;
  sortDir: 'asc' | 'desc';
  /** Id of the last flavor of the previous page. */
  marker: string | null;
  limit: number;
}

function toFlavor(row: FlavorRow): Flavor {
  return {
    id: row.id,
    name: row.name,
    vcpus: row.vcpus,
    ramMb: row.ram_mb,
    diskGb: row.disk_gb,
    ephemeralGb: row.ephemeral_gb,
    swapMb: row.swap_mb,
    isPublic: row.is_public === 1,
    description: row.description,
  };
}

export function flavorQueries(db: ReadModelDatabase) {
  const byId = db.prepare<[string], FlavorRow>('SELECT * FROM flavors WHERE id = ?');
  return {
    flavor(id: string): Flavor | undefined {
      const row = byId.get(id);
      return row ? toFlavor(row) : undefined;
    },
    /** One page; undefined when the marker names no flavor the filters admit. */
    list(query: FlavorListQuery): Flavor[] | undefined {
      const column = FLAVOR_SORT_COLUMNS[query.sortKey];
      const conditions = ['1 = 1'];
      const params: Record<string, string | number> = { limit: query.limit };
      if (query.isPublic !== null) {
        conditions.push('is_public = @is_public');
        params.is_public = Number(query.isPublic);
      }
      if (query.minRamMb !== null) {
        conditions.push('ram_mb >= @min_ram');
        params.min_ram = query.minRamMb;
      }
      if (query.minDiskGb !== null) {
        conditions.push('disk_gb >= @min_disk');
        params.min_disk = query.minDiskGb;
      }
      const filtered = conditions.join(' AND ');
      if (query.marker !== null) {
        const marker = db.prepare<[Record<string, string | number>], FlavorRow>(`SELECT * FROM flavors WHERE ${filtered} AND id = @marker`).get({ ...params, marker: query.marker });
        if (!marker) return undefined;
        // Keyset paging: the rows after the marker in (column, id) order.
        const after = query.sortDir === 'asc' ? '>' : '<';
        conditions.push(`(${column} ${after} @marker_value OR (${column} = @marker_value AND id ${after} @marker))`);
        params.marker = marker.id;
        params.marker_value = marker[column];
      }
      const order = `${column} ${query.sortDir.toUpperCase()}, id ${query.sortDir.toUpperCase()}`;
      const rows = db.prepare<[Record<string, string | number>], FlavorRow>(`SELECT * FROM flavors WHERE ${conditions.join(' AND ')} ORDER BY ${order} LIMIT @limit`).all(params);
      return rows.map(toFlavor);
    },
  };
}

export type FlavorQueries = ReturnType<typeof flavorQueries>;
