// Attaching a volume to a running instance (workflow `attach-<volumeId>`), as the process
// reads: the API has reserved the volume (attaching); its storage node exports the target
// with fresh CHAP credentials and an ACL for the instance's host; the host hot-plugs it
// into QEMU as vdc; the volume is in-use. Any failure undoes what was done — unplug,
// withdraw the export — and the volume is available again.
import { proxyActivities, upsertSearchAttributes } from '@temporalio/workflow';
import type { VolumeHostActivities } from '../activities/launch/volume-contract.js';
import { VolumeHostFailure } from '../activities/launch/volume-contract.js';
import { hostInitiatorName } from '../domain/volume/initiator.js';
import { searchAttributes } from './search-attributes.js';
import { computeTaskQueue } from './task-queues.js';
import { releaseVolume } from './volume-detach.js';
import { failureMessage, onStorageNode } from './volume-storage.js';

export interface VolumeAttachmentInput {
  volumeId: string;
  attachmentId: string;
  instanceId: string;
  /** The instance's compute host and the volume's storage node. */
  host: string;
  node: string;
  device: string;
}

export type AttachResult = { status: 'in-use' } | { status: 'available'; message: string };

/** The host's volume steps: two minutes each; a refused detach or a stopped VM is not retried. */
export function volumeStepsOnHost(host: string): VolumeHostActivities {
  return proxyActivities<VolumeHostActivities>({
    taskQueue: computeTaskQueue(host),
    startToCloseTimeout: '2 minutes',
    scheduleToCloseTimeout: '10 minutes',
    retry: { maximumAttempts: 3, nonRetryableErrorTypes: Object.values(VolumeHostFailure) },
  });
}

export function attachmentStep(input: VolumeAttachmentInput, name: string) {
  return { instanceId: input.instanceId, attempt: 1, key: `volume-${input.volumeId}/attachment-${input.attachmentId}/${name}` };
}

export async function attachVolume(input: VolumeAttachmentInput): Promise<AttachResult> {
  upsertSearchAttributes([
    { key: searchAttributes.instanceId, value: input.instanceId },
    { key: searchAttributes.host, value: input.host },
    { key: searchAttributes.operation, value: 'attach-volume' },
  ]);
  const storage = onStorageNode(input.node);
  const host = volumeStepsOnHost(input.host);
  const initiatorName = hostInitiatorName(input.host);
  const { volumeId, attachmentId, device } = input;
  try {
    const recipientKey = await host.volumeRecipientKey(attachmentStep(input, 'key'), device);
    const connection = await storage.exportVolume(volumeId, initiatorName, recipientKey);
    await host.plugVolume(attachmentStep(input, 'plug'), { volumeId, attachmentId, device, node: input.node, connection });
    await storage.recordAttachmentOutcome(volumeId, { kind: 'attached', attachmentId });
    return { status: 'in-use' };
  } catch (error) {
    await host.unplugVolume(attachmentStep(input, 'unplug-after-failure'), volumeId, device).catch(() => undefined);
    await releaseVolume(input);
    return { status: 'available', message: failureMessage(error) };
  }
}
