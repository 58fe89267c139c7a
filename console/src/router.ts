// Hash routes (#/instances/<id>): the API serves one index.html, so every page is
// reachable by link and reload without server-side routing.
import { useEffect, useState } from 'react';

export type Route =
  | { page: 'instances' }
  | { page: 'instance'; id: string }
  | { page: 'launch' }
  | { page: 'images' }
  | { page: 'failures' }
  | { page: 'hosts' };

export function parseRoute(hash: string): Route {
  const [page = '', id] = hash.replace(/^#\/?/, '').split('/');
  switch (page) {
    case 'instances':
      return id ? { page: 'instance', id: decodeURIComponent(id) } : { page: 'instances' };
    case 'launch':
    case 'images':
    case 'failures':
    case 'hosts':
      return { page };
    default:
      return { page: 'instances' };
  }
}

export const hrefOf = (route: Route): string => (route.page === 'instance' ? `#/instances/${encodeURIComponent(route.id)}` : `#/${route.page}`);

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(window.location.hash));
  useEffect(() => {
    const onChange = () => setRoute(parseRoute(window.location.hash));
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return route;
}
