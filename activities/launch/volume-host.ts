// A compute host's part of attaching and detaching volumes: plug a volume's iSCSI target
// into the instance's running QEMU as vdc… (hot-plug over QMP, the same block options a
// cold-plugged disk gets), and unplug it again. What was plugged is kept in the
// instance's directory (`<device>.volume.json`, no secret inside; the CHAP password in a
// 0600 file beside it), so an unplug — or a later worker — knows what to remove.
import { ApplicationFailure } from '@temporalio/common';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { recordInstanceStep } from '../../application/instances/record-step.js';
import { hostInitiatorName } from '../../domain/volume/initiator.js';
import type { EventStore } from '../../eventstore/port.js';
import { attachDisk, hasDevice, unplugDisk } from '../../hypervisor/hotplug.js';
import { writeSecretFile } from '../../hypervisor/secret-file.js';
import { newRecipientKeys, openSealedSecret, publicKeyOfPem } from '../../storage/chap-seal.js';
import { adoptVm, withQmp } from '../../hypervisor/vm-process.js';
import type { DiskSpec } from '../../hypervisor/vm-spec.js';
import type { VolumeConnection } from '../storage/volume-activities.js';
import { activityMetadata } from '../event-metadata.js';
import type { LaunchStep } from './contract.js';
import type { HostLayout } from './host-layout.js';
import type { VolumeHostActivities, VolumePlug } from './volume-contract.js';
import { VolumeHostFailure } from './volume-contract.js';

export interface VolumeHostDependencies {
  host: string;
  events: EventStore;
  layout: HostLayout;
  /** How long a guest may take to release a disk (ACPI eject) before the detach fails. */
  detachTimeoutMs?: number;
}

const DEFAULT_DETACH_TIMEOUT_MS = 60_000;

const SPEC_SUFFIX = '.volume.json';

function volumeFiles(dir: string, device: string) {
  return { spec: join(dir, `${device}${SPEC_SUFFIX}`), chapPassword: join(dir, `${device}.chap`), recipientKey: join(dir, `${device}.chap-key`) };
}

/** The volumes written into an instance's directory, as disks for its QEMU's command line. */
export async function volumeDisksOf(dir: string): Promise<DiskSpec[]> {
  const names = (await readdir(dir).catch(() => [] as string[])).filter((name) => name.endsWith(SPEC_SUFFIX)).sort();
  return Promise.all(names.map(async (name) => JSON.parse(await readFile(join(dir, name), 'utf8')) as DiskSpec));
}

/** The disk a volume is to QEMU: its target over QEMU's userspace iSCSI initiator, CHAP password from a file. */
export function volumeDiskSpec(device: string, volumeId: string, connection: VolumeConnection, initiatorName: string, chapPasswordFile: string): DiskSpec {
  const { portal, iqn, lun, chapUser } = connection;
  return { name: device, serial: volumeId.slice(0, 20), source: { kind: 'iscsi', portal, iqn, lun, initiatorName, chap: { user: chapUser, passwordFile: chapPasswordFile } } };
}

export function createVolumeHostActivities(deps: VolumeHostDependencies): VolumeHostActivities {
  const runningVm = async (instanceId: string) => {
    const vm = await adoptVm(deps.layout.instance(instanceId).dir);
    if (!vm) throw ApplicationFailure.nonRetryable(`instance ${instanceId} is not running on host ${deps.host}`, VolumeHostFailure.instanceNotRunning);
    return vm;
  };

  /** Writes the disk's spec and CHAP password into the instance's directory. */
  const writeVolumeFiles = async (dir: string, plug: VolumePlug): Promise<DiskSpec> => {
    const files = volumeFiles(dir, plug.device);
    const privateKeyPem = await readFile(files.recipientKey, 'utf8').catch(() => {
      throw ApplicationFailure.nonRetryable(`no CHAP key for ${plug.device} on host ${deps.host}: volumeRecipientKey must run first`, VolumeHostFailure.missingKey);
    });
    await writeSecretFile(files.chapPassword, openSealedSecret(plug.connection.sealedSecret, privateKeyPem));
    const disk = volumeDiskSpec(plug.device, plug.volumeId, plug.connection, hostInitiatorName(deps.host), files.chapPassword);
    await writeFile(files.spec, JSON.stringify(disk), { mode: 0o600 });
    return disk;
  };

  const recordPlugged = (step: LaunchStep, plug: VolumePlug) => {
    const data = { volumeId: plug.volumeId, attachmentId: plug.attachmentId, device: plug.device, node: plug.node };
    return recordInstanceStep(deps.events, step, { type: 'InstanceVolumeAttached.v1', data }, activityMetadata());
  };

  return {
    async volumeRecipientKey(step: LaunchStep, device: string): Promise<string> {
      const dir = deps.layout.instance(step.instanceId).dir;
      await mkdir(dir, { recursive: true, mode: 0o700 });
      const { recipientKey } = volumeFiles(dir, device);
      const existing = await readFile(recipientKey, 'utf8').catch(() => undefined);
      // A retry answers with the key it made, so a secret already sealed to it still opens.
      if (existing !== undefined) return publicKeyOfPem(existing);
      const keys = newRecipientKeys();
      await writeSecretFile(recipientKey, keys.privateKeyPem);
      return keys.publicKey;
    },

    async plugVolume(step: LaunchStep, plug: VolumePlug): Promise<void> {
      const vm = await runningVm(step.instanceId);
      const disk = await writeVolumeFiles(vm.runDir, plug);
      await withQmp(vm, async (qmp) => {
        if (!(await hasDevice(qmp, plug.device))) await attachDisk(qmp, disk);
      });
      await recordPlugged(step, plug);
    },

    async prepareVolume(step: LaunchStep, plug: VolumePlug): Promise<void> {
      await writeVolumeFiles(deps.layout.instance(step.instanceId).dir, plug);
      await recordPlugged(step, plug);
    },

    /** device_del and wait for the guest to let go, blockdev-del, forget the secret; a stopped VM has nothing to unplug. */
    async unplugVolume(step: LaunchStep, volumeId: string, device: string): Promise<void> {
      const dir = deps.layout.instance(step.instanceId).dir;
      const files = volumeFiles(dir, device);
      const vm = await adoptVm(dir);
      const specText = await readFile(files.spec, 'utf8').catch(() => undefined);
      if (vm && specText !== undefined) {
        const disk = JSON.parse(specText) as DiskSpec;
        try {
          await unplugDisk(vm, disk, { timeoutMs: deps.detachTimeoutMs ?? DEFAULT_DETACH_TIMEOUT_MS });
        } catch (error) {
          throw ApplicationFailure.nonRetryable((error as Error).message, VolumeHostFailure.detachRefused);
        }
      }
      await rm(files.chapPassword, { force: true });
      await rm(files.recipientKey, { force: true });
      await rm(files.spec, { force: true });
      await recordInstanceStep(deps.events, step, { type: 'InstanceVolumeDetached.v1', data: { volumeId } }, activityMetadata());
    },
  };
}
