// Detaching a volume (workflow `detach-<volumeId>`), as the process reads: the API has
// recorded the volume detaching; the host unplugs it (device_del, waiting for the guest
// to release it, then blockdev-del — QEMU has flushed by then); the storage node withdraws
// the export and the volume is available. A guest that keeps the disk leaves the volume
// in-use, as Nova leaves it. An instance being deleted releases its volumes without the
// unplug: its QEMU is already gone.
import { upsertSearchAttributes } from '@temporalio/workflow';
import { hostInitiatorName } from '../domain/volume/initiator.js';
import { searchAttributes } from './search-attributes.js';
import type { VolumeAttachmentInput } from './volume-attach.js';
import { attachmentStep, volumeStepsOnHost } from './volume-attach.js';
import { failureMessage, onStorageNode } from './volume-storage.js';

export type DetachResult = { status: 'available' } | { status: 'in-use'; message: string };

/** Withdraws the volume's export to the host and records it detached (the host no longer has it); a no-op for an attachment the volume does not hold. */
export async function releaseVolume(input: VolumeAttachmentInput): Promise<void> {
  await onStorageNode(input.node).releaseAttachment(input.volumeId, input.attachmentId, hostInitiatorName(input.host));
}

export async function detachVolume(input: VolumeAttachmentInput): Promise<DetachResult> {
  upsertSearchAttributes([
    { key: searchAttributes.instanceId, value: input.instanceId },
    { key: searchAttributes.host, value: input.host },
    { key: searchAttributes.operation, value: 'detach-volume' },
  ]);
  try {
    await volumeStepsOnHost(input.host).unplugVolume(attachmentStep(input, 'unplug'), input.volumeId, input.device);
  } catch (error) {
    const message = failureMessage(error);
    await onStorageNode(input.node).recordAttachmentOutcome(input.volumeId, { kind: 'detach-aborted', attachmentId: input.attachmentId, message });
    return { status: 'in-use', message };
  }
  await releaseVolume(input);
  return { status: 'available' };
}
