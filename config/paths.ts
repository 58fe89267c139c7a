// Where each piece of local state lives, derived from the config in one place.
import { hostname } from 'node:os';
import { resolve } from 'node:path';
import type { StrataConfig } from './schema.js';

export interface DataPaths {
  root: string;
  events: string;
  temporalDb: string;
  readModel: string;
  images: string;
  hosts: string;
  volumes: string;
  logs: string;
}

export function dataPaths(config: Pick<StrataConfig, 'dataDir' | 'eventStore'>): DataPaths {
  const root = resolve(config.dataDir);
  return {
    root,
    events: resolve(config.eventStore.sqlitePath ?? `${root}/events.db`),
    temporalDb: `${root}/temporal.db`,
    readModel: `${root}/read-model.db`,
    images: `${root}/images`,
    hosts: `${root}/hosts`,
    volumes: `${root}/volumes`,
    logs: `${root}/logs`,
  };
}

export function computeHostName(config: StrataConfig): string {
  return config.compute.host ?? hostname().replace(/[^A-Za-z0-9._-]/g, '-');
}

export function apiBaseUrl(config: StrataConfig): string {
  return config.api.publicUrl?.replace(/\/$/, '') ?? `http://${config.api.host}:${config.api.port}`;
}

/** The Temporal UI operators are sent to: the configured one, else the dev server `strata up` runs (none for an external cluster). */
export function temporalUiUrl(config: StrataConfig): string | null {
  if (config.temporal.uiUrl) return config.temporal.uiUrl.replace(/\/$/, '');
  return config.temporal.address ? null : `http://127.0.0.1:${config.temporal.devServer.uiPort}`;
}
