// Nova's list paging and its query values: `limit` (capped at osapi_max_limit),
// `marker`, the `next` link of a full page, and oslo's boolean strings.
import { DomainError } from '../../domain/decider.js';

/** Nova's osapi_max_limit default. */
export const MAX_PAGE_SIZE = 1000;

/** `limit` as Nova reads it: absent or 0 is the maximum, a negative or non-integer is 400. */
export function pageLimit(text: string | undefined): number {
  if (text === undefined) return MAX_PAGE_SIZE;
  if (!/^-?\d+$/.test(text)) throw new DomainError('invalid', 'limit param must be an integer');
  const limit = Number(text);
  if (limit < 0) throw new DomainError('invalid', 'limit param must be positive');
  return limit === 0 ? MAX_PAGE_SIZE : Math.min(limit, MAX_PAGE_SIZE);
}

export function markerNotFound(marker: string): DomainError {
  return new DomainError('invalid', `marker [${marker}] not found`);
}

/**
 * The `<collection>_links` of a page: a `next` link when the page is full, carrying the
 * request's other query parameters and the page's last id as the marker.
 */
export function pageLinks(url: string, query: Record<string, unknown>, items: ReadonlyArray<{ id: string }>, limit: number) {
  const last = items.at(-1);
  if (!last || items.length < limit) return undefined;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (key === 'marker') continue;
    for (const one of [value].flat()) if (typeof one === 'string') params.append(key, one);
  }
  params.set('marker', last.id);
  return [{ rel: 'next', href: `${url}?${params.toString()}` }];
}

const TRUE_STRINGS = ['1', 't', 'true', 'on', 'y', 'yes'];
const FALSE_STRINGS = ['0', 'f', 'false', 'off', 'n', 'no'];

/** oslo's strict bool_from_string; `emptyMeans` is what a bare `?flag` says. */
export function booleanQuery(name: string, text: string, emptyMeans: boolean): boolean {
  const lowered = text.trim().toLowerCase();
  if (lowered === '') return emptyMeans;
  if (TRUE_STRINGS.includes(lowered)) return true;
  if (FALSE_STRINGS.includes(lowered)) return false;
  throw new DomainError('invalid', `Invalid ${name} value '${text}'; acceptable values are: ${[...TRUE_STRINGS, ...FALSE_STRINGS].join(', ')}`);
}
