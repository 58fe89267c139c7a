// DELETE /servers/{id} in process (app.inject over real parts, the delete workflow on a
// real Temporal worker): owner → 204 and the server goes; another project → 404; two
// DELETEs at once → one delete recorded, one workflow; a deleted server → 404, as Nova,
// listed only when asked for (status=DELETED) with its terminated_at.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDeleteActivities } from '../../activities/delete/delete-activities.js';
import { handleCommand } from '../../application/handle-command.js';
import { requestMetadata } from '../../application/metadata.js';
import type { InstanceRequest } from '../../domain/compute/instance.js';
import { instanceDecider, instanceStream } from '../../domain/compute/instance.js';
import { waitUntil } from '../../runtime/wait.js';
import { workflowsPath } from '../../workers/control.js';
import { CONTROL_TASK_QUEUE } from '../../workflows/task-queues.js';
import { instanceRequestFor, openComputeHarness, type ComputeHarness } from '../compute-api/compute-harness.js';
import { useTemporalWorkers } from '../launch-host/temporal-workers.js';

let harness: ComputeHarness;
beforeAll(async () => {
  harness = await openComputeHarness();
});

const temporal = useTemporalWorkers(() => [
  { namespace: harness.api.context.temporal.options.namespace, taskQueue: CONTROL_TASK_QUEUE, workflowsPath, activities: createDeleteActivities({ events: harness.api.context.events }) },
]);

// Hooks run in reverse on the way out: the worker stops before the harness closes its event store.
afterAll(async () => harness.close());

const metadata = requestMetadata(null, 'server-delete-test');

/** A server of alice's that never got a host (its launch could not start): the delete has no host step. */
async function failedServer(name: string): Promise<InstanceRequest> {
  const { events, projections } = harness.api.context;
  const request = instanceRequestFor(harness.alice.projectId, name);
  const stream = instanceStream(request.instanceId);
  await handleCommand(events, instanceDecider, stream, { kind: 'request', request }, { metadata });
  const fault = { code: 500, message: 'The launch workflow could not be started', step: 'startWorkflow', host: null, attempt: 1, created: new Date().toISOString() };
  const { position } = await handleCommand(events, instanceDecider, stream, { kind: 'record', event: { type: 'InstanceLaunchFailed.v1', data: fault } }, { metadata });
  await projections.waitFor(position, 5_000);
  return request;
}

const gone = (id: string) => waitUntil(`server ${id} to be deleted`, async () => (await harness.compute(harness.alice, 'GET', `/servers/${id}`)).statusCode === 404, { timeoutMs: 30_000, intervalMs: 200 });

describe('DELETE /servers/{id}', () => {
  it("is 404 for another project's server, 204 for its owner, then the server is gone (404 again)", { timeout: 60_000 }, async () => {
    const { instanceId } = await failedServer('to-delete');
    const byBob = await harness.compute(harness.bob, 'DELETE', `/servers/${instanceId}`);
    expect(byBob.statusCode).toBe(404);
    expect(byBob.json()).toEqual({ itemNotFound: { code: 404, message: `Instance ${instanceId} could not be found.` } });

    const byAlice = await harness.compute(harness.alice, 'DELETE', `/servers/${instanceId}`);
    expect(byAlice.statusCode).toBe(204);
    expect(byAlice.body).toBe('');
    await gone(instanceId);

    const list = await harness.compute(harness.alice, 'GET', '/servers');
    expect(list.json<{ servers: Array<{ id: string }> }>().servers.map((server) => server.id)).not.toContain(instanceId);
    expect((await harness.compute(harness.alice, 'DELETE', `/servers/${instanceId}`)).statusCode).toBe(404);
    const deleted = await harness.compute(harness.admin, 'GET', '/servers/detail?status=DELETED&all_tenants=1');
    const shown = deleted.json<{ servers: Array<Record<string, unknown>> }>().servers.find((server) => server.id === instanceId);
    expect(shown).toMatchObject({ status: 'DELETED', 'OS-EXT-STS:vm_state': 'deleted', 'OS-EXT-STS:task_state': null });
    expect(shown?.['OS-SRV-USG:terminated_at']).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}$/);
  });

  it('records one delete and runs one workflow for two DELETEs at once', { timeout: 60_000 }, async () => {
    const { instanceId } = await failedServer('deleted-twice');
    const answers = await Promise.all([1, 2].map(() => harness.compute(harness.alice, 'DELETE', `/servers/${instanceId}`)));
    expect(answers.map((answer) => answer.statusCode)).toEqual([204, 204]);
    await gone(instanceId);

    const types = (await harness.api.context.events.readStream(instanceStream(instanceId))).map((event) => event.type);
    expect(types).toEqual(['InstanceRequested.v1', 'InstanceLaunchFailed.v1', 'InstanceDeleting.v1', 'InstanceDeleted.v1']);
    const runs: string[] = [];
    for await (const run of temporal.client(harness.api.context.temporal.options.namespace).workflow.list({ query: `WorkflowId = "delete-${instanceId}"` })) runs.push(run.runId);
    expect(runs).toHaveLength(1);
  });
});
