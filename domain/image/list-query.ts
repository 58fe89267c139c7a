// Reads `GET /v2/images` query parameters into a typed query, refusing what Glance
// refuses (400). Any parameter strata does not know is a filter on an extra property.
import { DomainError } from '../decider.js';
import { MEMBER_STATUSES, VISIBILITIES } from './vocabulary.js';
import type { MemberStatus, Visibility } from './vocabulary.js';

const SORT_KEYS = ['name', 'status', 'container_format', 'disk_format', 'size', 'id', 'created_at', 'updated_at'] as const;
export type SortKey = (typeof SORT_KEYS)[number];
export type SortDirection = 'asc' | 'desc';

const VALUE_COLUMNS = ['name', 'id', 'status', 'container_format', 'disk_format', 'owner', 'checksum', 'os_hash_value', 'min_ram', 'min_disk'] as const;
export type ValueColumn = (typeof VALUE_COLUMNS)[number];
const TIME_COLUMNS = ['created_at', 'updated_at'] as const;
export type TimeColumn = (typeof TIME_COLUMNS)[number];
const COMPARISONS = ['eq', 'neq', 'gt', 'gte', 'lt', 'lte'] as const;
export type Comparison = (typeof COMPARISONS)[number];

export interface ImageListQuery {
  limit: number;
  marker: string | null;
  sort: Array<{ key: SortKey; direction: SortDirection }>;
  /** null: Glance's default view (public, owned, and accepted shares; community only when owned). */
  visibility: Visibility | 'all' | null;
  memberStatus: MemberStatus | 'all';
  osHidden: boolean;
  protected: boolean | null;
  /** Each column equals one of the values. */
  valueFilters: Array<{ column: ValueColumn; values: string[] }>;
  timeFilters: Array<{ column: TimeColumn; comparison: Comparison; at: string }>;
  sizeMin: number | null;
  sizeMax: number | null;
  /** All must be present. */
  tags: string[];
  properties: Array<{ key: string; value: string }>;
}

export type RawQuery = Readonly<Record<string, string | string[] | undefined>>;

const DEFAULT_LIMIT = 25;
const MAX_LIMIT = 1000;
const NON_FILTER_KEYS = new Set(['limit', 'marker', 'sort', 'sort_key', 'sort_dir', 'visibility', 'member_status', 'os_hidden', 'protected', 'tag', 'size_min', 'size_max']);

const invalid = (message: string) => new DomainError('invalid', message);

function all(raw: RawQuery, key: string): string[] {
  const value = raw[key];
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

function last(raw: RawQuery, key: string): string | undefined {
  return all(raw, key).at(-1);
}

function oneOf<T extends string>(value: string, allowed: readonly T[], what: string): T {
  if (!(allowed as readonly string[]).includes(value)) throw invalid(`Invalid ${what} value: ${value}. It must be one of: ${allowed.join(', ')}.`);
  return value as T;
}

function integer(value: string, what: string, min = 0): number {
  if (!/^-?\d+$/.test(value.trim())) throw invalid(`${what} param must be an integer`);
  const parsed = Number(value);
  if (parsed < min) throw invalid(`${what} param must be positive`);
  return parsed;
}

function bool(value: string, what: string): boolean {
  const lowered = value.toLowerCase();
  if (lowered === 'true' || lowered === 'false') return lowered === 'true';
  throw invalid(`Invalid value for ${what}: ${value}. It must be true or false.`);
}

const ISO_TIME = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;

/** Normalizes an ISO-8601 time to UTC `YYYY-MM-DDThh:mm:ss` (the precision Glance shows). */
function isoTime(value: string): string {
  // A time without a zone is UTC, as Glance reads it (JavaScript would read it as local).
  const zoned = !value.includes(':') || /(?:Z|[+-]\d{2}:?\d{2})$/.test(value);
  const time = ISO_TIME.test(value) ? new Date(zoned ? value : `${value}Z`) : null;
  if (!time || Number.isNaN(time.getTime())) throw invalid(`Unable to filter on a date: ${value} is not an ISO 8601 time.`);
  return time.toISOString().slice(0, 19);
}

/** Glance's split_filter_op: `op:value`, except that a bare ISO time has no operator. */
function splitOperator(expression: string): { op: string; value: string } {
  const colon = expression.indexOf(':');
  if (colon < 0 || ISO_TIME.test(expression)) return { op: 'eq', value: expression };
  return { op: expression.slice(0, colon), value: expression.slice(colon + 1) };
}

/** `in:` values are comma-separated; double quotes keep commas inside a value. */
export function splitInValues(list: string): string[] {
  const values: string[] = [];
  let current = '';
  let quoted = false;
  let wasQuoted = false;
  for (const char of list) {
    if (char === '"') {
      quoted = !quoted;
      wasQuoted = true;
    } else if (char === ',' && !quoted) {
      values.push(current);
      current = '';
      wasQuoted = false;
    } else {
      current += char;
    }
  }
  if (quoted) throw invalid(`Invalid filter value ${list}. The quote is not closed.`);
  if (current !== '' || wasQuoted || values.length > 0) values.push(current);
  return values;
}

function valueFilter(column: ValueColumn, expression: string): { column: ValueColumn; values: string[] } {
  const { op, value } = splitOperator(expression);
  if (op !== 'eq' && op !== 'in') throw invalid(`Unable to filter by unknown operator '${op}'.`);
  const values = op === 'in' ? splitInValues(value) : [value];
  if (column === 'min_ram' || column === 'min_disk') values.forEach((entry) => integer(entry, column));
  return { column, values };
}

function timeFilter(column: TimeColumn, expression: string): { column: TimeColumn; comparison: Comparison; at: string } {
  const { op, value } = splitOperator(expression);
  return { column, comparison: oneOf(op, COMPARISONS, `${column} operator`), at: isoTime(value) };
}

function sorting(raw: RawQuery): ImageListQuery['sort'] {
  const sortKey = (key: string) => oneOf(key.trim(), SORT_KEYS, 'sort key');
  const direction = (dir: string) => oneOf(dir.trim(), ['asc', 'desc'] as const, 'sort direction');
  const combined = last(raw, 'sort');
  if (combined !== undefined) {
    if (raw.sort_key !== undefined || raw.sort_dir !== undefined) throw invalid('Old and new sorting syntax cannot be combined');
    return combined.split(',').map((part) => {
      const [key = '', dir] = part.split(':');
      return { key: sortKey(key), direction: dir === undefined ? 'desc' : direction(dir) };
    });
  }
  const keys = all(raw, 'sort_key').map(sortKey);
  const directions = all(raw, 'sort_dir').map(direction);
  if (directions.length > 1 && directions.length !== keys.length) throw invalid('Number of sort dirs does not match the number of sort keys');
  if (keys.length === 0) return [{ key: 'created_at', direction: directions[0] ?? 'desc' }];
  return keys.map((key, index) => ({ key, direction: directions[directions.length > 1 ? index : 0] ?? 'desc' }));
}

export function parseListQuery(raw: RawQuery): ImageListQuery {
  const limitParam = last(raw, 'limit');
  const visibility = last(raw, 'visibility');
  const memberStatus = last(raw, 'member_status');
  const osHidden = last(raw, 'os_hidden');
  const isProtected = last(raw, 'protected');
  const sizeMin = last(raw, 'size_min');
  const sizeMax = last(raw, 'size_max');
  const query: ImageListQuery = {
    limit: limitParam === undefined ? DEFAULT_LIMIT : Math.min(integer(limitParam, 'limit'), MAX_LIMIT),
    marker: last(raw, 'marker') ?? null,
    sort: sorting(raw),
    visibility: visibility === undefined ? null : oneOf(visibility, [...VISIBILITIES, 'all'] as const, 'visibility'),
    memberStatus: memberStatus === undefined ? 'accepted' : oneOf(memberStatus, [...MEMBER_STATUSES, 'all'] as const, 'member_status'),
    osHidden: osHidden === undefined ? false : bool(osHidden, 'os_hidden'),
    protected: isProtected === undefined ? null : bool(isProtected, 'protected'),
    valueFilters: [],
    timeFilters: [],
    sizeMin: sizeMin === undefined ? null : integer(sizeMin, 'size_min'),
    sizeMax: sizeMax === undefined ? null : integer(sizeMax, 'size_max'),
    tags: all(raw, 'tag'),
    properties: [],
  };
  for (const key of Object.keys(raw)) {
    if (NON_FILTER_KEYS.has(key)) continue;
    const value = last(raw, key) ?? '';
    if ((VALUE_COLUMNS as readonly string[]).includes(key)) query.valueFilters.push(valueFilter(key as ValueColumn, value));
    else if ((TIME_COLUMNS as readonly string[]).includes(key)) query.timeFilters.push(timeFilter(key as TimeColumn, value));
    else query.properties.push({ key, value });
  }
  return query;
}
