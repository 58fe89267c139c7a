// The append-then-start pair of a server create: a start that fails leaves the instance in
// ERROR (never BUILD forever), a crash between the two is resumed on the next start, and
// resuming never starts a second launch of the same instance.
import { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handleCommand } from '../../application/handle-command.js';
import { InstanceLauncher } from '../../application/instances/launcher.js';
import { requestMetadata } from '../../application/metadata.js';
import { instanceDecider, instanceStream } from '../../domain/compute/instance.js';
import { instanceQueries } from '../../projections/instance-queries.js';
import { freePort } from '../support/ports.js';
import { instanceRequestFor, openComputeHarness, type ComputeHarness } from './compute-harness.js';

let harness: ComputeHarness;
beforeAll(async () => {
  harness = await openComputeHarness();
});
afterAll(async () => {
  await harness.close();
});

const metadata = requestMetadata(null, 'launcher-test');

const aRequest = (name: string) => instanceRequestFor(harness.alice.projectId, name);

describe('InstanceLauncher', () => {
  it('records the instance as failed at startWorkflow when Temporal cannot be reached', async () => {
    const { events, projections, readModel } = harness.api.context;
    const unreachable = new Client({ connection: Connection.lazy({ address: `127.0.0.1:${await freePort()}` }) });
    const lines: string[] = [];
    const launcher = new InstanceLauncher({ events, projections, temporal: unreachable, temporalTimeoutMs: 1_500, log: (line) => lines.push(line) });
    const request = aRequest('unlaunchable');

    try {
      await launcher.launch(request, metadata);
    } finally {
      await unreachable.connection.close();
    }

    const record = instanceQueries(readModel).instance(request.instanceId);
    expect(record?.state).toMatchObject({ vmState: 'error', fault: { code: 500, step: 'startWorkflow', host: null, attempt: 1 } });
    expect(record?.state.fault?.message).toMatch(/^The launch workflow could not be started: /);
    expect(lines).toEqual([expect.stringContaining(request.instanceId)]);
    const shown = await harness.compute(harness.alice, 'GET', `/servers/${request.instanceId}`);
    expect(shown.json()).toMatchObject({ server: { status: 'ERROR', fault: { code: 500, message: expect.stringContaining('could not be started') } } });
  });

  it('resumes a launch whose start was lost, once: a second resume joins the same run', async () => {
    const { events, projections, readModel, temporal } = harness.api.context;
    const request = aRequest('crashed-before-start');
    const { position } = await handleCommand(events, instanceDecider, instanceStream(request.instanceId), { kind: 'request', request }, { metadata });
    await projections.waitFor(position, 5_000);
    const launcher = new InstanceLauncher({ events, projections, temporal });
    const building = () => instanceQueries(readModel).building().filter((record) => record.id === request.instanceId);
    expect(building()).toHaveLength(1);

    await launcher.resume(building());
    const handle = temporal.workflow.getHandle(`launch-${request.instanceId}`);
    const first = await handle.describe();
    await launcher.resume(building());
    expect((await handle.describe()).runId).toBe(first.runId);

    // A launch that ended (here: terminated by an operator) is not started again.
    await handle.terminate('operator stopped it');
    await launcher.resume(building());
    const after = await handle.describe();
    expect(after.runId).toBe(first.runId);
    expect(after.status.name).toBe('TERMINATED');
  });
});
