// createImage through the in-process API (real SQLite, real Temporal; no worker runs the
// workflows it starts): the image record made first with Nova's snapshot properties, the
// answer by microversion, and every refusal — bad input, a server in the wrong state, of
// another project or deleted, two snapshots at once — with nothing written by a refused one.
import { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handleCommand } from '../../application/handle-command.js';
import { requestMetadata } from '../../application/metadata.js';
import type { InstanceEvent } from '../../domain/compute/instance.js';
import { instanceDecider, instanceStream } from '../../domain/compute/instance.js';
import { instanceRequestFor, openComputeHarness, type ComputeHarness, type Session } from '../compute-api/compute-harness.js';

let harness: ComputeHarness;
let temporal: Client;
const startedWorkflows: string[] = [];
const at = () => new Date().toISOString();

type Stage = 'building' | 'active' | 'deleted';

/** Records an instance of the session's project the way its launch (and delete) would, without running them. */
async function instanceOf(session: Session, stage: Stage, properties: Record<string, string> = {}): Promise<string> {
  const { events, projections } = harness.api.context;
  const base = instanceRequestFor(session.projectId, `snap-${stage}`);
  const request = { ...base, image: { ...base.image, minRamMb: 64, properties } };
  const stream = instanceStream(request.instanceId);
  const metadata = requestMetadata(null, 'snapshot-test');
  const steps: InstanceEvent[] = [{ type: 'InstanceScheduled.v1', data: { host: 'snap-host', availabilityZone: 'nova', attempt: 1 } }];
  if (stage !== 'building') steps.push({ type: 'InstanceBooted.v1', data: { launchedAt: at() } });
  if (stage === 'deleted') steps.push({ type: 'InstanceDeleting.v1', data: { requestedAt: at() } }, { type: 'InstanceDeleted.v1', data: { terminatedAt: at() } });
  let { position } = await handleCommand(events, instanceDecider, stream, { kind: 'request', request }, { metadata });
  for (const event of steps) ({ position } = await handleCommand(events, instanceDecider, stream, { kind: 'record', event: event as Exclude<InstanceEvent, { type: 'InstanceRequested.v1' }> }, { metadata }));
  await projections.waitFor(position, 5_000);
  return request.instanceId;
}

function createImage(session: Session, serverId: string, args: unknown, version = '2.45') {
  return harness.compute(session, 'POST', `/servers/${serverId}/action`, { json: { createImage: args }, version });
}

async function snapshotEvents(serverId: string) {
  const events = await harness.api.context.events.readStream(instanceStream(serverId));
  return events.filter((event) => event.type.startsWith('InstanceSnapshot')).map((event) => event.data as { imageId: string; workflowId: string });
}

/** Images (any status but deleted) whose instance_uuid is the server, as the owner lists them. */
async function snapshotImagesOf(session: Session, serverId: string): Promise<Array<Record<string, unknown>>> {
  const listed = await session.call('GET', `/v2/images?instance_uuid=${serverId}`);
  return listed.json<{ images: Array<Record<string, unknown>> }>().images;
}

beforeAll(async () => {
  harness = await openComputeHarness();
  const { config } = harness.api;
  temporal = new Client({ connection: await Connection.connect({ address: config.temporal.address }), namespace: config.temporal.namespace });
}, 180_000);
afterAll(async () => {
  // No worker runs them here: end them so the namespace keeps nothing running.
  for (const workflowId of startedWorkflows) await temporal.workflow.getHandle(workflowId).terminate('test over').catch(() => undefined);
  await temporal?.connection.close();
  await harness?.close();
});

describe('createImage', () => {
  it('makes the image record first (queued, Nova’s snapshot properties) and answers its id from 2.45', async () => {
    const { alice } = harness;
    const serverId = await instanceOf(alice, 'active', { strata_boot_marker: 'STRATA-GUEST-DONE', hw_disk_bus: 'virtio', img_signature: 'sig', instance_uuid: 'of-the-base' });
    const response = await createImage(alice, serverId, { name: 'snap-1', metadata: { purpose: 'test' } });
    expect(response.statusCode, response.body).toBe(202);
    const { image_id: imageId } = response.json<{ image_id: string }>();
    const [started] = await snapshotEvents(serverId);
    startedWorkflows.push(started!.workflowId);
    expect(started).toMatchObject({ imageId, workflowId: `snapshot-${response.headers['x-openstack-request-id'] as string}` });

    const image = (await alice.call('GET', `/v2/images/${imageId}`)).json<Record<string, unknown>>();
    const request = (await harness.api.context.events.readStream(instanceStream(serverId)))[0]!.data as { userId: string; image: { id: string } };
    expect(image).toMatchObject({
      name: 'snap-1', status: 'queued', owner: alice.projectId, visibility: 'private', disk_format: 'qcow2', container_format: 'bare',
      min_ram: 64, min_disk: 1, instance_uuid: serverId, image_type: 'snapshot', base_image_ref: request.image.id, user_id: request.userId,
      strata_boot_marker: 'STRATA-GUEST-DONE', hw_disk_bus: 'virtio', purpose: 'test',
    });
    expect(image).not.toHaveProperty('img_signature');

    const server = (await harness.compute(alice, 'GET', `/servers/${serverId}`)).json<{ server: Record<string, unknown> }>();
    expect(server.server).toMatchObject({ status: 'ACTIVE', 'OS-EXT-STS:task_state': 'image_snapshot' });
    const workflow = await temporal.workflow.getHandle(started!.workflowId).describe();
    expect(workflow.type).toBe('snapshotInstance');
  });

  it('answers an empty body and the image in Location before 2.45', async () => {
    const serverId = await instanceOf(harness.alice, 'active');
    const response = await createImage(harness.alice, serverId, { name: 'snap-old' }, '2.44');
    expect(response.statusCode, response.body).toBe(202);
    expect(response.body).toBe('');
    const [started] = await snapshotEvents(serverId);
    startedWorkflows.push(started!.workflowId);
    expect(response.headers.location).toMatch(new RegExp(`/image/v2/images/${started!.imageId}$`));
  });

  it.each([
    ['no name', {}],
    ['an empty name', { name: '' }],
    ['a name with leading blanks', { name: '  snap' }],
    ['a name longer than 255', { name: 'n'.repeat(256) }],
    ['a metadata value that is not a string', { name: 'snap', metadata: { size: 5 } }],
    ['a metadata key with a slash', { name: 'snap', metadata: { 'a/b': 'x' } }],
    ['a metadata value longer than 255', { name: 'snap', metadata: { k: 'v'.repeat(256) } }],
    ['metadata naming an image attribute', { name: 'snap', metadata: { visibility: 'public' } }],
    ['an unknown argument', { name: 'snap', flavor: '1' }],
    ['arguments that are not an object', 'snap'],
  ])('refuses %s with 400 and writes nothing', async (_name, args) => {
    const serverId = await instanceOf(harness.alice, 'active');
    const before = await harness.eventCount();
    const response = await createImage(harness.alice, serverId, args);
    expect(response.statusCode, response.body).toBe(400);
    expect(response.json()).toMatchObject({ badRequest: { code: 400 } });
    expect(await harness.eventCount()).toBe(before);
  });

  it('refuses a building server with Nova’s 409, and a deleted or another project’s server with 404; nothing written', async () => {
    const building = await instanceOf(harness.alice, 'building');
    const deleted = await instanceOf(harness.alice, 'deleted');
    const alices = await instanceOf(harness.alice, 'active');
    const before = await harness.eventCount();
    const refusedBuild = await createImage(harness.alice, building, { name: 'snap' });
    expect(refusedBuild.statusCode).toBe(409);
    expect(refusedBuild.json()).toEqual({ conflictingRequest: { code: 409, message: `Cannot 'createImage' instance ${building} while it is in vm_state building` } });
    expect((await createImage(harness.alice, deleted, { name: 'snap' })).statusCode).toBe(404);
    expect((await createImage(harness.bob, alices, { name: 'snap' })).statusCode).toBe(404);
    expect(await harness.eventCount()).toBe(before);
  });

  it('refuses a second snapshot while one runs (409, task_state image_snapshot), with no second image', async () => {
    const serverId = await instanceOf(harness.alice, 'active');
    expect((await createImage(harness.alice, serverId, { name: 'first' })).statusCode).toBe(202);
    startedWorkflows.push(...(await snapshotEvents(serverId)).map((event) => event.workflowId));
    const before = await harness.eventCount();
    const second = await createImage(harness.alice, serverId, { name: 'second' });
    expect(second.statusCode).toBe(409);
    expect(second.json()).toEqual({ conflictingRequest: { code: 409, message: `Cannot 'createImage' instance ${serverId} while it is in task_state image_snapshot` } });
    expect(await harness.eventCount()).toBe(before);
    expect((await snapshotImagesOf(harness.alice, serverId)).map((image) => image.name)).toEqual(['first']);
  });

  it('lets exactly one of several concurrent snapshots of one server through', async () => {
    const serverId = await instanceOf(harness.alice, 'active');
    const responses = await Promise.all(['a', 'b', 'c', 'd'].map((name) => createImage(harness.alice, serverId, { name: `race-${name}` })));
    const started = await snapshotEvents(serverId);
    startedWorkflows.push(...started.map((event) => event.workflowId));
    expect(responses.map((response) => response.statusCode).sort()).toEqual([202, 409, 409, 409]);
    expect(started).toHaveLength(1);
    const images = await snapshotImagesOf(harness.alice, serverId);
    expect(images.map((image) => image.id)).toEqual([started[0]!.imageId]);
  });
});
