// Regressions found by the chaos run (npm run chaos): an activity retried after it had
// already recorded its outcome — the worker was killed, or Temporal restarted, between the
// append and the activity's completion — must finish as a no-op, never fail the workflow.
import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger } from '@temporalio/worker';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { storageNodeParts } from '../../activities/storage/wiring.js';
import { handleCommand } from '../../application/handle-command.js';
import { requestMetadata } from '../../application/metadata.js';
import { readVolume } from '../../application/volumes/record-volume-event.js';
import { validateConfig } from '../../config/load.js';
import type { StrataConfig } from '../../config/schema.js';
import { strataEventSchemas } from '../../domain/event-registry.js';
import { volumeStream } from '../../domain/volume/events.js';
import { volumeDecider } from '../../domain/volume/volume.js';
import { openEventStore } from '../../eventstore/open.js';
import type { EventStore } from '../../eventstore/port.js';
import { freePort } from '../support/ports.js';

const node = 'node-chaos';
let dir: string;
let config: StrataConfig;
let events: EventStore;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'strata-retried-'));
  config = validateConfig({ dataDir: join(dir, 'data'), storage: { node, address: '127.0.0.1', iscsiPort: await freePort() } }, () => 'test');
  events = openEventStore(config, strataEventSchemas());
});

afterAll(async () => {
  await events?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Every attempt of one activity shares the workflow run, as Temporal's retries do. */
function activityOf(workflowId: string) {
  const environment = new MockActivityEnvironment(
    { workflowExecution: { workflowId, runId: randomUUID() }, activityId: '1' },
    { logger: new DefaultLogger('ERROR', () => undefined) },
  );
  return <T>(call: () => Promise<T>) => environment.run(call);
}

it('deleteVolume retried after it recorded VolumeDeleted succeeds and records nothing more', async () => {
  const volumeId = randomUUID();
  const request = { volumeId, projectId: 'p', userId: 'u', name: null, description: null, sizeGb: 1, availabilityZone: 'nova', node, metadata: {}, createdAt: new Date().toISOString() };
  await handleCommand(events, volumeDecider, volumeStream(volumeId), { kind: 'request', request }, { metadata: requestMetadata(null, 'test') });
  const storage = storageNodeParts(config, events, () => undefined).activities;
  await activityOf(`create-volume-${volumeId}`)(() => storage.createVolume(volumeId));
  await handleCommand(events, volumeDecider, volumeStream(volumeId), { kind: 'delete', requestedAt: new Date().toISOString() }, { metadata: requestMetadata(null, 'test') });

  const attempt = activityOf(`delete-volume-${volumeId}`);
  await attempt(() => storage.deleteVolume(volumeId));
  // The second attempt is the one a killed worker's retry makes.
  await expect(attempt(() => storage.deleteVolume(volumeId))).resolves.toBeUndefined();

  expect((await readVolume(events, volumeId)).status).toBe('deleted');
  const types = (await events.readStream(volumeStream(volumeId))).map((event) => event.type);
  expect(types.filter((type) => type === 'VolumeDeleted.v1')).toHaveLength(1);
});
