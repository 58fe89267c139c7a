// The volumes a launch attaches (block_device_mapping_v2), as steps of buildOnHost: before
// QEMU starts, each volume is reserved for the instance on this host, exported by its
// storage node and written into the instance's disks (vda when it boots from it, else
// vdc…), so QEMU opens it at start; once the guest booted the volumes are in-use. When
// the attempt fails they are released again (export withdrawn, volume available).
import { uuid4 } from '@temporalio/workflow';
import type { LaunchStep } from '../activities/launch/contract.js';
import type { InstanceRequest } from '../domain/compute/instance.js';
import { hostInitiatorName } from '../domain/volume/initiator.js';
import type { VolumeAttachmentInput } from './volume-attach.js';
import { volumeStepsOnHost } from './volume-attach.js';
import { releaseVolume } from './volume-detach.js';
import { onStorageNode } from './volume-storage.js';

/** One attempt's attachments: fresh ids, so a later attempt on another host reserves anew. */
export type LaunchAttachments = VolumeAttachmentInput[];

export function launchAttachments(request: InstanceRequest, host: string): LaunchAttachments {
  return (request.volumes ?? []).map(({ volumeId, device, node }) => ({ volumeId, device, node, host, instanceId: request.instanceId, attachmentId: uuid4() }));
}

/** Reserve, export and prepare each volume as a disk of the instance (QEMU not started yet). */
export async function attachLaunchVolumes(attachments: LaunchAttachments, step: (name: string) => LaunchStep): Promise<void> {
  for (const attachment of attachments) {
    const { volumeId, attachmentId, instanceId, host, device, node } = attachment;
    const storage = onStorageNode(node);
    await storage.reserveVolume(volumeId, { attachmentId, instanceId, host, device });
    const onHost = volumeStepsOnHost(host);
    const recipientKey = await onHost.volumeRecipientKey(step(`volumeKey-${device}`), device);
    const connection = await storage.exportVolume(volumeId, hostInitiatorName(host), recipientKey);
    await onHost.prepareVolume(step(`attachVolume-${device}`), { volumeId, attachmentId, device, node, connection });
  }
}

/** The guest booted with them: the volumes are in-use. */
export async function confirmLaunchVolumes(attachments: LaunchAttachments): Promise<void> {
  for (const { volumeId, attachmentId, node } of attachments) await onStorageNode(node).recordAttachmentOutcome(volumeId, { kind: 'attached', attachmentId });
}

/** Compensation, once QEMU is gone: the instance no longer lists them, every volume is available again, no export left. */
export async function releaseLaunchVolumes(attachments: LaunchAttachments, step: (name: string) => LaunchStep): Promise<void> {
  for (const attachment of attachments) {
    await volumeStepsOnHost(attachment.host).unplugVolume(step(`releaseVolume-${attachment.device}`), attachment.volumeId, attachment.device);
    await releaseVolume(attachment);
  }
}
