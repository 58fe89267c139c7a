// Builds the SQL of one page of GET /v2/images: who may see what (visibility and
// membership), the filters, the sort order, and keyset pagination after a marker. Column
// names come only from closed lists; every value is a bound parameter.
import type { Comparison, ImageListQuery, SortDirection, SortKey } from '../domain/image/list-query.js';
import type { Viewer } from '../domain/image/visibility.js';

export interface SqlQuery {
  sql: string;
  params: unknown[];
  order: Array<{ expression: string; direction: SortDirection }>;
}

/** Nullable columns sort as if empty, so a marker on a row without a value still has a place. */
const SORT_EXPRESSIONS: Record<SortKey, string> = {
  name: "coalesce(i.name, '')",
  status: 'i.status',
  container_format: "coalesce(i.container_format, '')",
  disk_format: "coalesce(i.disk_format, '')",
  size: 'coalesce(i.size, -1)',
  id: 'i.id',
  created_at: 'i.created_at',
  updated_at: 'i.updated_at',
};

const OPERATORS: Record<Comparison, string> = { eq: '=', neq: '!=', gt: '>', gte: '>=', lt: '<', lte: '<=' };

function visibilityClause(query: ImageListQuery, viewer: Viewer, params: unknown[]): string | null {
  const { visibility } = query;
  if (viewer.isAdmin) {
    if (visibility === null || visibility === 'all') return null;
    params.push(visibility);
    return 'i.visibility = ?';
  }
  // `id IN (subquery)` lets SQLite read the few matching ids through an index once,
  // where a correlated EXISTS would run per candidate row.
  const member = () => {
    params.push(viewer.projectId);
    if (query.memberStatus === 'all') return 'i.id IN (SELECT image_id FROM image_members WHERE member_id = ?)';
    params.push(query.memberStatus);
    return 'i.id IN (SELECT image_id FROM image_members WHERE member_id = ? AND status = ?)';
  };
  const owned = () => {
    params.push(viewer.projectId);
    return 'i.owner = ?';
  };
  switch (visibility) {
    case null:
      return `(${owned()} OR i.visibility = 'public' OR (i.visibility = 'shared' AND ${member()}))`;
    case 'all':
      return `(${owned()} OR i.visibility IN ('public', 'community') OR (i.visibility = 'shared' AND ${member()}))`;
    case 'public':
    case 'community':
      params.push(visibility);
      return 'i.visibility = ?';
    case 'private':
      return `i.visibility = 'private' AND ${owned()}`;
    case 'shared':
      return `i.visibility = 'shared' AND (${owned()} OR ${member()})`;
  }
}

function whereClause(query: ImageListQuery, viewer: Viewer): { sql: string; params: unknown[] } {
  const params: unknown[] = [];
  const conditions = ["i.status != 'killed'", 'i.os_hidden = ?'];
  params.push(Number(query.osHidden));
  const visible = visibilityClause(query, viewer, params);
  if (visible) conditions.push(visible);
  if (query.protected !== null) {
    conditions.push('i.protected = ?');
    params.push(Number(query.protected));
  }
  for (const { column, values } of query.valueFilters) {
    conditions.push(`i.${column} IN (${values.map(() => '?').join(', ')})`);
    params.push(...values);
  }
  for (const { column, comparison, at } of query.timeFilters) {
    conditions.push(`substr(i.${column}, 1, 19) ${OPERATORS[comparison]} ?`);
    params.push(at);
  }
  if (query.sizeMin !== null) {
    conditions.push('i.size >= ?');
    params.push(query.sizeMin);
  }
  if (query.sizeMax !== null) {
    conditions.push('i.size <= ?');
    params.push(query.sizeMax);
  }
  // Tags and properties are checked per row by primary key, so the scan can follow the
  // sort order's index and stop at the limit (a list of all ids with a common tag would
  // cost more to build than the page).
  for (const tag of query.tags) {
    conditions.push('EXISTS (SELECT 1 FROM image_tags t WHERE t.image_id = i.id AND t.tag = ?)');
    params.push(tag);
  }
  for (const { key, value } of query.properties) {
    conditions.push('EXISTS (SELECT 1 FROM image_properties p WHERE p.image_id = i.id AND p.key = ? AND p.value = ?)');
    params.push(key, value);
  }
  return { sql: conditions.join(' AND '), params };
}

/** The requested keys, then created_at and id (as Glance adds them) so the order is total. */
function sortOrder(query: ImageListQuery): SqlQuery['order'] {
  const directions = new Set(query.sort.map((entry) => entry.direction));
  const tieDirection: SortDirection = directions.size === 1 ? (query.sort[0]?.direction ?? 'desc') : 'desc';
  const keys = [...query.sort];
  for (const key of ['created_at', 'id'] as const) if (!keys.some((entry) => entry.key === key)) keys.push({ key, direction: tieDirection });
  return keys.map(({ key, direction }) => ({ expression: SORT_EXPRESSIONS[key], direction }));
}

/** Rows strictly after the marker's sort values, in the order's own directions. */
function afterClause(order: SqlQuery['order'], values: readonly unknown[]): { sql: string; params: unknown[] } {
  const params: unknown[] = [];
  const alternatives = order.map((entry, index) => {
    const equal = order.slice(0, index).map((earlier, at) => {
      params.push(values[at]);
      return `${earlier.expression} = ?`;
    });
    params.push(values[index]);
    return `(${[...equal, `${entry.expression} ${entry.direction === 'asc' ? '>' : '<'} ?`].join(' AND ')})`;
  });
  return { sql: `(${alternatives.join(' OR ')})`, params };
}

export function listImagesSql(query: ImageListQuery, viewer: Viewer, after?: readonly unknown[]): SqlQuery {
  const where = whereClause(query, viewer);
  const order = sortOrder(query);
  const page = after ? afterClause(order, after) : null;
  const sql =
    `SELECT i.* FROM images i WHERE ${where.sql}${page ? ` AND ${page.sql}` : ''} ` +
    `ORDER BY ${order.map((entry) => `${entry.expression} ${entry.direction.toUpperCase()}`).join(', ')} LIMIT ?`;
  return { sql, params: [...where.params, ...(page?.params ?? []), query.limit], order };
}

/** The marker image's sort values (the caller has checked the marker is an image it may see). */
export function markerSql(query: ImageListQuery): string {
  return `SELECT ${sortOrder(query).map((entry) => entry.expression).join(', ')} FROM images i WHERE i.id = ?`;
}
