// A storage node's activities over a real event log, a real tgtd and QEMU as the compute
// host's initiator: create a volume's file, export it to one host (the guest writes
// through iSCSI), refuse to delete it while exported, restore the export after tgtd or
// the worker restarts, withdraw it, delete it. The CHAP secret never enters the log.
import { ApplicationFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger } from '@temporalio/worker';
import { randomUUID } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VolumeConnection } from '../../activities/storage/volume-activities.js';
import { volumeIqn } from '../../activities/storage/volume-activities.js';
import { volumeFilePath } from '../../activities/storage/volume-files.js';
import type { StorageNodeParts } from '../../activities/storage/wiring.js';
import { storageNodeParts } from '../../activities/storage/wiring.js';
import { handleCommand } from '../../application/handle-command.js';
import { requestMetadata } from '../../application/metadata.js';
import { readVolume } from '../../application/volumes/record-volume-event.js';
import { validateConfig } from '../../config/load.js';
import type { StrataConfig } from '../../config/schema.js';
import { dataPaths } from '../../config/paths.js';
import { strataEventSchemas } from '../../domain/event-registry.js';
import { volumeStream } from '../../domain/volume/events.js';
import { volumeDecider } from '../../domain/volume/volume.js';
import { openEventStore } from '../../eventstore/open.js';
import type { EventStore } from '../../eventstore/port.js';
import { newRecipientKeys, openSealedSecret } from '../../storage/chap-seal.js';
import { writeSecretFile } from '../../hypervisor/secret-file.js';
import { stopVm } from '../../hypervisor/vm-process.js';
import { exportVolumeFile, findTarget, newChapCredentials } from '../../storage/tgt/exports.js';
import { isTgtd, stopTgtd } from '../../storage/tgt/tgtd-process.js';
import { fileDisk, useGuestLab } from '../hypervisor/guest-lab.js';
import { parseGuestReport, parseMark } from '../hypervisor/guest-report.js';
import { freePort } from '../support/ports.js';

const lab = useGuestLab();
const node = 'node-a';
const hostInitiator = 'iqn.2026-11.io.strata:compute-host-a';
let config: StrataConfig;
let events: EventStore;
const started: StorageNodeParts[] = [];
// Refusals are what these tests expect; the SDK would log each as a failed activity.
const quietLogger = new DefaultLogger('ERROR', () => undefined);

/** A storage worker's parts, as a (re)started worker builds them. */
function worker(): StorageNodeParts {
  const parts = storageNodeParts(config, events, () => undefined);
  started.push(parts);
  return parts;
}

/** Runs an activity call as one step of its own workflow run. */
function asActivity<T>(call: () => Promise<T>): Promise<T> {
  const environment = new MockActivityEnvironment({ workflowExecution: { workflowId: `test-${randomUUID()}`, runId: randomUUID() } }, { logger: quietLogger });
  return environment.run(call);
}

/** The compute host's one-time key the node seals CHAP secrets to. */
const recipient = newRecipientKeys();

async function requestVolume(sizeGb = 1): Promise<string> {
  const volumeId = randomUUID();
  const request = { volumeId, projectId: 'p', userId: 'u', name: null, description: null, sizeGb, availabilityZone: 'nova', node, metadata: {}, createdAt: new Date().toISOString() };
  await handleCommand(events, volumeDecider, volumeStream(volumeId), { kind: 'request', request }, { metadata: requestMetadata(null, 'test') });
  return volumeId;
}

async function statusOf(volumeId: string): Promise<string> {
  return (await readVolume(events, volumeId)).status;
}

/** Boots the BIOS guest with the volume as its only data disk; returns what it read and wrote there. */
async function bootWith(name: string, connection: VolumeConnection) {
  const passwordFile = lab.path(`${name}.chap`);
  await writeSecretFile(passwordFile, openSealedSecret(connection.sealedSecret, recipient.privateKeyPem));
  const volume = {
    name: 'vdc',
    source: { kind: 'iscsi' as const, portal: connection.portal, iqn: connection.iqn, lun: connection.lun, initiatorName: hostInitiator, chap: { user: connection.chapUser, passwordFile } },
  };
  const spec = lab.spec(name, [fileDisk('vda', await lab.rootDisk(name), 'qcow2'), volume]);
  const { vm, console } = await lab.boot(spec);
  await stopVm(vm);
  return { instanceId: spec.instanceId, disk: parseGuestReport(console).disks.vdb };
}

beforeAll(async () => {
  config = validateConfig({ dataDir: lab.path('data'), storage: { node, address: '127.0.0.1', iscsiPort: await freePort() } }, () => 'test');
  events = openEventStore(config, strataEventSchemas());
});

afterAll(async () => {
  for (const parts of started) {
    const tgtd = parts.tgtd.current();
    if (tgtd && isTgtd(tgtd)) await stopTgtd(tgtd);
  }
  await events?.close();
});

describe('storage node', () => {
  it('creates, exports, restores after restarts, withdraws and deletes a volume', async () => {
    const volumesDir = `${dataPaths(config).volumes}/${node}`;
    const first = worker();
    const volumeId = await requestVolume(1);

    await asActivity(() => first.activities.createVolume(volumeId));
    await asActivity(() => first.activities.createVolume(volumeId));
    expect(await statusOf(volumeId)).toBe('available');
    expect(statSync(volumeFilePath(volumesDir, volumeId)).size).toBe(1024 ** 3);
    expect(first.tgtd.current()).toBeUndefined();

    const connection = await asActivity(() => first.activities.exportVolume(volumeId, hostInitiator, recipient.publicKey));
    const chapSecret = openSealedSecret(connection.sealedSecret, recipient.privateKeyPem);
    expect(connection).toMatchObject({ portal: `127.0.0.1:${config.storage.iscsiPort}`, iqn: volumeIqn(volumeId), lun: 1 });
    const written = await bootWith('writer', connection);
    expect(written.disk).toMatchObject({ present: true, wrote: `STRATA-MARK boot=1 id=${written.instanceId}` });
    const log = JSON.stringify(await events.readStream(volumeStream(volumeId)));
    expect(log).toContain(connection.chapUser);
    expect(log).not.toContain(chapSecret);
    // The secret travels sealed to the host's key: another key does not open it.
    expect(() => openSealedSecret(connection.sealedSecret, newRecipientKeys().privateKeyPem)).toThrow();

    const refused = await asActivity(() => first.activities.deleteVolume(volumeId)).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(ApplicationFailure);
    expect((refused as ApplicationFailure).type).toBe('VolumeExported');

    // tgtd goes away with every target; the next worker starts a fresh one and restores the export.
    const firstTgtd = first.tgtd.current();
    if (!firstTgtd) throw new Error('the export started no tgtd');
    await stopTgtd(firstTgtd);
    const second = worker();
    const restarted = await second.tgtd.ensure();
    expect(restarted.pid).not.toBe(firstTgtd.pid);
    expect(await findTarget(restarted, volumeIqn(volumeId))).toMatchObject({ accounts: [connection.chapUser], acls: [hostInitiator] });
    const reread = await bootWith('reader', connection);
    expect(reread.disk?.present && 'read' in reread.disk ? parseMark(reread.disk.read) : undefined).toEqual({ boot: 1, instanceId: written.instanceId });

    // A worker restart with tgtd still running adopts it, withdraws a volume target the log
    // does not record, keeps the recorded one; a retried export answers the same credentials.
    const strayIqn = volumeIqn(randomUUID());
    await exportVolumeFile(restarted, { iqn: strayIqn, backingFile: volumeFilePath(volumesDir, volumeId), initiatorName: hostInitiator, chap: newChapCredentials() });
    const third = worker();
    expect((await third.tgtd.ensure()).pid).toBe(restarted.pid);
    expect(await findTarget(restarted, strayIqn)).toBeUndefined();
    expect(await findTarget(restarted, volumeIqn(volumeId))).toBeDefined();
    const again = await asActivity(() => third.activities.exportVolume(volumeId, hostInitiator, recipient.publicKey));
    expect({ ...again, sealedSecret: undefined }).toEqual({ ...connection, sealedSecret: undefined });
    expect(openSealedSecret(again.sealedSecret, recipient.privateKeyPem)).toBe(chapSecret);

    await asActivity(() => third.activities.unexportVolume(volumeId, hostInitiator));
    expect(await findTarget(restarted, volumeIqn(volumeId))).toBeUndefined();
    await handleCommand(events, volumeDecider, volumeStream(volumeId), { kind: 'delete', requestedAt: new Date().toISOString() }, { metadata: requestMetadata(null, 'test') });
    await asActivity(() => third.activities.deleteVolume(volumeId));
    expect(await statusOf(volumeId)).toBe('deleted');
    expect(existsSync(volumeFilePath(volumesDir, volumeId))).toBe(false);
  });

  it('refuses a volume of another node, and records a failure once', async () => {
    const parts = worker();
    const volumeId = randomUUID();
    const request = { volumeId, projectId: 'p', userId: 'u', name: null, description: null, sizeGb: 1, availabilityZone: 'nova', node: 'node-b', metadata: {}, createdAt: new Date().toISOString() };
    await handleCommand(events, volumeDecider, volumeStream(volumeId), { kind: 'request', request }, { metadata: requestMetadata(null, 'test') });
    const refused = await asActivity(() => parts.activities.createVolume(volumeId)).catch((error: unknown) => error);
    expect((refused as ApplicationFailure).type).toBe('WrongNode');
    await asActivity(() => parts.activities.recordVolumeFailure(volumeId, 'create', 'no room'));
    expect(await statusOf(volumeId)).toBe('error');
  });
});
