// The service catalog: every service strata serves, on its own listener.
import type { Caller } from '../../domain/identity/caller.js';
import type { CatalogService } from './views.js';

export function serviceCatalog(base: string, caller: Caller): CatalogService[] {
  const catalog: CatalogService[] = [
    { type: 'identity', name: 'keystone', url: `${base}/identity/v3` },
    { type: 'image', name: 'glance', url: `${base}/image` },
    { type: 'compute', name: 'nova', url: `${base}/compute/v2.1` },
  ];
  if (caller.project) {
    const volume = `${base}/volume/v3/${caller.project.id}`;
    catalog.push({ type: 'volumev3', name: 'cinderv3', url: volume }, { type: 'block-storage', name: 'cinder', url: volume });
  }
  return catalog;
}
