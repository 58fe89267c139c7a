// The `first` and `next` links of an image list: the same query, with the marker removed
// (first) or set to the page's last image (next, only when the page is full, as Glance).
export function listLinks(requestUrl: string, page: ReadonlyArray<{ id: string }>, limit: number): { first: string; next?: string } {
  const params = new URLSearchParams(requestUrl.split('?')[1] ?? '');
  params.delete('marker');
  const query = params.toString();
  const first = `/v2/images${query ? `?${query}` : ''}`;
  const last = page.at(-1);
  if (!last || page.length < limit) return { first };
  params.set('marker', last.id);
  return { first, next: `/v2/images?${params.toString()}` };
}
