// Real Temporal workers for a test file, on the run's dev server: created in beforeAll
// (after the file's earlier hooks, so they can use what those set up), drained and
// disconnected in afterAll.
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import type { WorkerOptions } from '@temporalio/worker';
import { afterAll, beforeAll, inject } from 'vitest';

export type WorkerSpec = Omit<WorkerOptions, 'connection'>;

export function useTemporalWorkers(specs: () => WorkerSpec[] | Promise<WorkerSpec[]>) {
  let workerConnection: NativeConnection | undefined;
  let clientConnection: Connection | undefined;
  let running: Array<{ worker: Worker; run: Promise<void> }> = [];
  beforeAll(async () => {
    const address = inject('temporalAddress');
    workerConnection = await NativeConnection.connect({ address });
    clientConnection = await Connection.connect({ address });
    const connection = workerConnection;
    const workers = await Promise.all((await specs()).map((spec) => Worker.create({ ...spec, connection })));
    running = workers.map((worker) => ({ worker, run: worker.run() }));
  });
  afterAll(async () => {
    for (const { worker } of running) worker.shutdown();
    await Promise.all(running.map(({ run }) => run));
    await workerConnection?.close();
    await clientConnection?.close();
  });
  return {
    client(namespace?: string): Client {
      if (!clientConnection) throw new Error('useTemporalWorkers: the client is there from beforeAll on');
      return new Client({ connection: clientConnection, ...(namespace ? { namespace } : {}) });
    },
  };
}
