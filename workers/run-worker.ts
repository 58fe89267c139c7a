// Runs one Temporal worker until SIGINT/SIGTERM, then drains it: in-flight activities
// finish or are cancelled, and the process exits cleanly.
import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import type { StrataConfig } from '../config/schema.js';
import { temporalAddress } from './temporal-connection.js';

export type WorkerSpec = Omit<WorkerOptions, 'connection' | 'namespace'>;

export async function runWorkerUntilSignalled(config: StrataConfig, spec: WorkerSpec, label: string): Promise<void> {
  const connection = await NativeConnection.connect({ address: temporalAddress(config) });
  try {
    const worker = await Worker.create({ ...spec, connection, namespace: config.temporal.namespace });
    const stop = () => worker.shutdown();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    console.log(`${label} polling task queue ${spec.taskQueue}`);
    await worker.run();
  } finally {
    await connection.close();
  }
}
