// The Temporal address a process should use: the configured cluster, or the dev server
// `strata up` runs on loopback.
import type { StrataConfig } from '../config/schema.js';

export function temporalAddress(config: StrataConfig): string {
  return config.temporal.address ?? `127.0.0.1:${config.temporal.devServer.port}`;
}
