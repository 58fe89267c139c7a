// Regression found by the chaos run (npm run chaos): an API killed between recording a
// volume create (or delete) and starting its workflow left the volume `creating` forever.
// At start-up the API now starts (or joins) the workflow of every volume still in flight.
import { Client, Connection } from '@temporalio/client';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { handleCommand } from '../../application/handle-command.js';
import { requestMetadata } from '../../application/metadata.js';
import { readVolume } from '../../application/volumes/record-volume-event.js';
import { VolumeService } from '../../application/volumes/volume-service.js';
import { strataEventSchemas } from '../../domain/event-registry.js';
import { volumeStream } from '../../domain/volume/events.js';
import { volumeDecider } from '../../domain/volume/volume.js';
import type { EventStore } from '../../eventstore/port.js';
import { openSqliteEventStore } from '../../eventstore/sqlite/index.js';
import type { ProjectionRunner } from '../../projections/runner.js';

let dir: string;
let events: EventStore;
let connection: Connection;
let temporal: Client;
/** Nobody polls it: the test sees the workflows started, not what they do. */
const taskQueue = `resume-volumes-${randomUUID()}`;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'strata-resume-volumes-'));
  events = openSqliteEventStore({ path: join(dir, 'events.db'), schemas: strataEventSchemas() });
  connection = await Connection.connect({ address: inject('temporalAddress') });
  temporal = new Client({ connection });
});

afterAll(async () => {
  await connection?.close();
  await events?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function recordedOnly(deleting: boolean): Promise<string> {
  const volumeId = randomUUID();
  const metadata = requestMetadata(null, 'test');
  const request = { volumeId, projectId: 'p', userId: 'u', name: null, description: null, sizeGb: 1, availabilityZone: 'nova', node: 'n', metadata: {}, createdAt: new Date().toISOString() };
  await handleCommand(events, volumeDecider, volumeStream(volumeId), { kind: 'request', request }, { metadata });
  if (deleting) {
    await handleCommand(events, volumeDecider, volumeStream(volumeId), { kind: 'record', event: { type: 'VolumeCreated.v1', data: { node: 'n' } } }, { metadata });
    await handleCommand(events, volumeDecider, volumeStream(volumeId), { kind: 'delete', requestedAt: new Date().toISOString() }, { metadata });
  }
  return volumeId;
}

it('starts the workflows of volumes recorded creating or deleting, once, however often it runs', async () => {
  const creating = await recordedOnly(false);
  const deleting = await recordedOnly(true);
  const pending = [
    { id: creating, state: await readVolume(events, creating) },
    { id: deleting, state: await readVolume(events, deleting) },
  ];
  expect(pending.map(({ state }) => state.status)).toEqual(['creating', 'deleting']);
  const service = new VolumeService({ events, projections: {} as ProjectionRunner, temporal, taskQueue });
  const logged: string[] = [];

  await service.resume(pending, (line) => logged.push(line));
  await service.resume(pending, (line) => logged.push(line));

  expect(logged).toEqual([]);
  for (const workflowId of [`create-volume-${creating}`, `delete-volume-${deleting}`]) {
    const runs = [];
    for await (const execution of temporal.workflow.list({ query: `WorkflowId = "${workflowId}"` })) runs.push(execution);
    expect(runs.map((run) => [run.workflowId, run.taskQueue, run.status.name])).toEqual([[workflowId, taskQueue, 'RUNNING']]);
  }
  await Promise.all([`create-volume-${creating}`, `delete-volume-${deleting}`].map((id) => temporal.workflow.getHandle(id).terminate('test done')));
});
