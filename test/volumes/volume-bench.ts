// The in-process API with the volume service's workers: a control worker running the
// real workflows and a storage worker for node `bench-node`, in a Temporal namespace of
// this bench's own (so no other test's worker takes its tasks), with the node's tgtd on a
// free port. Closing stops the workers and any tgtd the node started.
import { NativeConnection, Worker } from '@temporalio/worker';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { inject } from 'vitest';
import { storageNodeParts } from '../../activities/storage/wiring.js';
import { waitUntil } from '../../runtime/wait.js';
import { stopTgtd } from '../../storage/tgt/tgtd-process.js';
import { workflowsPath } from '../../workers/control.js';
import { CONTROL_TASK_QUEUE, storageTaskQueue } from '../../workflows/task-queues.js';
import { registerTestNamespace } from '../compute-api/compute-harness.js';
import type { ImageHarness, Session } from '../images/support/image-harness.js';
import { openImageHarness } from '../images/support/image-harness.js';
import { freePort } from '../support/ports.js';

export const BENCH_NODE = 'bench-node';

export interface VolumeBench extends ImageHarness {
  /** A request under /volume (path as given, e.g. `/v3/<project>/volumes`). */
  volume(session: Session, method: InjectOptions['method'], path: string, json?: unknown): Promise<LightMyRequestResponse>;
  /** The session's own `/volume/v3/<project>` prefix. */
  v3(session: Session): string;
  /** Polls a volume until its status is one of `statuses`; returns the volume. */
  waitForStatus(session: Session, volumeId: string, statuses: string[]): Promise<Record<string, unknown>>;
  /** Polls alice's volume until show answers 404; returns that answer. */
  waitForGone(volumeId: string): Promise<unknown>;
  parts: ReturnType<typeof storageNodeParts>;
}

export async function openVolumeBench(): Promise<VolumeBench> {
  const address = inject('temporalAddress');
  const namespace = await registerTestNamespace(address);
  const harness = await openImageHarness({ temporal: { address, namespace }, storage: { node: BENCH_NODE, address: '127.0.0.1', iscsiPort: await freePort() } });
  const { config, context } = harness.api;
  const connection = await NativeConnection.connect({ address });
  const parts = storageNodeParts(config, context.events, () => undefined);
  const workers = await Promise.all([
    Worker.create({ connection, namespace, taskQueue: CONTROL_TASK_QUEUE, workflowsPath }),
    Worker.create({ connection, namespace, taskQueue: storageTaskQueue(BENCH_NODE), activities: parts.activities }),
  ]);
  const running = workers.map((worker) => worker.run());

  const volume: VolumeBench['volume'] = (session, method, path, json) =>
    harness.api.app.inject({
      method,
      url: `/volume${path}`,
      headers: { 'x-auth-token': session.token, ...(json !== undefined ? { 'content-type': 'application/json' } : {}) },
      payload: json !== undefined ? JSON.stringify(json) : undefined,
    });
  const v3 = (session: Session) => `/v3/${session.projectId}`;

  return {
    ...harness,
    volume,
    v3,
    parts,
    async waitForStatus(session, volumeId, statuses) {
      let shown: Record<string, unknown> = {};
      await waitUntil(`volume ${volumeId} to be ${statuses.join(' or ')}`, async () => {
        const response = await volume(session, 'GET', `${v3(session)}/volumes/${volumeId}`);
        shown = response.json<{ volume: Record<string, unknown> }>().volume;
        return statuses.includes(shown.status as string);
      }, { timeoutMs: 30_000, intervalMs: 100 });
      return shown;
    },
    async waitForGone(volumeId) {
      let answer: unknown;
      await waitUntil(`volume ${volumeId} to be deleted`, async () => {
        const response = await volume(harness.alice, 'GET', `${v3(harness.alice)}/volumes/${volumeId}`);
        answer = response.json();
        return response.statusCode === 404;
      }, { timeoutMs: 30_000, intervalMs: 100 });
      return answer;
    },
    async close() {
      for (const worker of workers) worker.shutdown();
      await Promise.all(running);
      await connection.close();
      const tgtd = parts.tgtd.current();
      if (tgtd) await stopTgtd(tgtd);
      await harness.close();
    },
  };
}
