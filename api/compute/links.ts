// Nova's resource links: `self` under the versioned endpoint, `bookmark` without the
// version, both relative to the compute root (`<api>/compute`).
export type Link = { rel: string; href: string };

export function resourceLinks(base: string, collection: string, id: string): Link[] {
  return [
    { rel: 'self', href: `${base}/v2.1/${collection}/${id}` },
    { rel: 'bookmark', href: `${base}/${collection}/${id}` },
  ];
}

export function bookmarkLinks(base: string, collection: string, id: string): Link[] {
  return [{ rel: 'bookmark', href: `${base}/${collection}/${id}` }];
}
