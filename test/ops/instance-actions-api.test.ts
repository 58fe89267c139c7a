// GET /servers/{id}/os-instance-actions{,/request_id} over the in-process API: a server
// created and deleted through the API, its launch steps recorded as the launch activities
// record them; what each microversion and caller sees.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handleCommand } from '../../application/handle-command.js';
import { requestMetadata } from '../../application/metadata.js';
import type { InstanceEvent } from '../../domain/compute/instance.js';
import { instanceDecider, instanceStream } from '../../domain/compute/instance.js';
import { openComputeHarness, type ComputeHarness } from '../compute-api/compute-harness.js';

type Step = Exclude<InstanceEvent, { type: 'InstanceRequested.v1' }>;
type Action = Record<string, unknown> & { action: string; request_id: string; events?: Array<Record<string, unknown>> };

let harness: ComputeHarness;
let serverId: string;
let createRequest: string;

async function recordStep(workflow: string, activity: string, event: Step): Promise<void> {
  const { events, projections } = harness.api.context;
  const metadata = { ...requestMetadata(null, 'unused'), requestId: null, correlationId: workflow, workflowId: workflow, activity };
  const { position } = await handleCommand(events, instanceDecider, instanceStream(serverId), { kind: 'record', event }, { metadata });
  await projections.waitFor(position, 5_000);
}

const actions = (path: string, version?: string, session = harness.alice) => harness.compute(session, 'GET', `/servers/${serverId}/os-instance-actions${path}`, { version });

beforeAll(async () => {
  harness = await openComputeHarness();
  const image = await harness.activeImage(harness.admin, { visibility: 'public' });
  const created = await harness.compute(harness.alice, 'POST', '/servers', { json: { server: { name: 'audited', imageRef: image, flavorRef: '1' } } });
  expect(created.statusCode, created.body).toBe(202);
  serverId = created.json<{ server: { id: string } }>().server.id;
  createRequest = created.headers['x-openstack-request-id'] as string;
  const launch = `launch-${serverId}`;
  await recordStep(launch, 'scheduleInstance', { type: 'InstanceScheduled.v1', data: { host: 'host-a', availabilityZone: 'nova', attempt: 1 } });
  await recordStep(launch, 'recordLaunchFailure', {
    type: 'InstanceLaunchFailed.v1',
    data: { code: 500, message: 'QEMU exited at once', step: 'startVm', host: 'host-a', attempt: 1, created: new Date().toISOString() },
  });
});
afterAll(() => harness.close());

describe('os-instance-actions', () => {
  it('lists the create with its request id, user and project, and Error for the failed launch', async () => {
    const response = await actions('');
    expect(response.statusCode, response.body).toBe(200);
    const [create, ...others] = response.json<{ instanceActions: Action[] }>().instanceActions;
    expect(others).toEqual([]);
    expect(create).toMatchObject({ action: 'create', instance_uuid: serverId, request_id: createRequest, project_id: harness.alice.projectId, message: 'Error' });
    expect(create!.start_time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}$/);
    expect(create).not.toHaveProperty('updated_at');
    expect((await actions('', '2.58')).json<{ instanceActions: Action[] }>().instanceActions[0]).toHaveProperty('updated_at');
  });

  it('shows the steps to non-admins from 2.51, hosts only to admins from 2.62', async () => {
    expect((await actions(`/${createRequest}`)).json<{ instanceAction: Action }>().instanceAction).not.toHaveProperty('events');
    const admin = (await actions(`/${createRequest}`, undefined, harness.admin)).json<{ instanceAction: Action }>().instanceAction;
    expect(admin.events!.map((event) => [event.event, event.result])).toEqual([
      ['scheduleInstance', 'Success'],
      ['startVm', 'Error'],
    ]);
    const member = (await actions(`/${createRequest}`, '2.62')).json<{ instanceAction: Action }>().instanceAction;
    expect(member.events![1]).toMatchObject({ event: 'startVm', result: 'Error' });
    expect(member.events![1]!.hostId).toMatch(/^[0-9a-f]{56}$/);
    expect(member.events![1]).not.toHaveProperty('host');
    const adminNew = (await actions(`/${createRequest}`, '2.62', harness.admin)).json<{ instanceAction: Action }>().instanceAction;
    expect(adminNew.events![1]).toMatchObject({ host: 'host-a' });
  });

  it('adds the delete, keeps a deleted server readable from 2.21, and pages from 2.58', async () => {
    const deleted = await harness.compute(harness.alice, 'DELETE', `/servers/${serverId}`);
    expect(deleted.statusCode).toBe(204);
    const deleteRequest = deleted.headers['x-openstack-request-id'] as string;
    await recordStep(`delete-${serverId}`, 'recordInstanceDeleted', { type: 'InstanceDeleted.v1', data: { terminatedAt: new Date().toISOString() } });
    expect((await actions('')).statusCode).toBe(404);
    const listed = await actions('', '2.21');
    expect(listed.json<{ instanceActions: Action[] }>().instanceActions.map((action) => [action.action, action.request_id])).toEqual([
      ['delete', deleteRequest],
      ['create', createRequest],
    ]);
    const firstPage = await actions('?limit=1', '2.58');
    const page = firstPage.json<{ instanceActions: Action[]; links: Array<{ rel: string; href: string }> }>();
    expect(page.instanceActions.map((action) => action.action)).toEqual(['delete']);
    expect(page.links[0]!.href).toContain(`marker=${deleteRequest}`);
    const second = await actions(`?limit=1&marker=${deleteRequest}`, '2.58');
    expect(second.json<{ instanceActions: Action[] }>().instanceActions.map((action) => action.action)).toEqual(['create']);
    const future = new Date(Date.now() + 3_600_000).toISOString();
    expect((await actions(`?changes-since=${future}`, '2.58')).json<{ instanceActions: Action[] }>().instanceActions).toEqual([]);
    expect((await actions(`?changes-before=${future}`, '2.66')).json<{ instanceActions: Action[] }>().instanceActions).toHaveLength(2);
  });

  it('answers 400 for bad filters and markers and 404 for unknown requests and other projects', async () => {
    expect((await actions('?changes-since=yesterday', '2.58')).statusCode).toBe(400);
    expect((await actions('?marker=req-nope', '2.58')).statusCode).toBe(400);
    const unknown = await actions('/req-00000000-0000-4000-8000-000000000000', '2.21');
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toMatchObject({ itemNotFound: { code: 404 } });
    expect((await actions('', '2.21', harness.bob)).statusCode).toBe(404);
  });
});
