// The Temporal address a process should use: the configured cluster, or the dev server
// `strata up` runs on loopback; and a client for one piece of work, closed afterwards.
import { Client, Connection } from '@temporalio/client';
import type { StrataConfig } from '../config/schema.js';

export function temporalAddress(config: StrataConfig): string {
  return config.temporal.address ?? `127.0.0.1:${config.temporal.devServer.port}`;
}

export async function withTemporalClient<T>(config: StrataConfig, work: (client: Client) => Promise<T>): Promise<T> {
  const connection = await Connection.connect({ address: temporalAddress(config) });
  try {
    return await work(new Client({ connection, namespace: config.temporal.namespace }));
  } finally {
    await connection.close();
  }
}
