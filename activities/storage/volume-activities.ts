// The storage node's volume activities, on its task queue `storage.<node>`: create and
// delete a volume's file, export it over iSCSI to one compute host and withdraw that
// export. Each records its outcome on the volume's stream with a key derived from the
// workflow, so a retry never records twice.
import { ApplicationFailure, Context } from '@temporalio/activity';
import type { EventStore } from '../../eventstore/port.js';
import { readVolume, recordVolumeEvent } from '../../application/volumes/record-volume-event.js';
import type { RecordedVolumeEvent } from '../../domain/volume/volume.js';
import type { SealedSecret } from '../../storage/chap-seal.js';
import { sealSecret } from '../../storage/chap-seal.js';
import { exportVolumeFile, findTarget, newChapCredentials, unexportVolumeFile } from '../../storage/tgt/exports.js';
import { handleCommand } from '../../application/handle-command.js';
import { DomainError } from '../../domain/decider.js';
import type { VolumeAttachment, VolumeRequest } from '../../domain/volume/events.js';
import { volumeStream } from '../../domain/volume/events.js';
import { volumeDecider } from '../../domain/volume/volume.js';
import { LaunchFailure } from '../launch/contract.js';
import { activityMetadata } from '../event-metadata.js';
import type { ImageSource } from '../launch/image-source.js';
import { fillVolumeFromImage } from './volume-image.js';
import type { TgtdKeeper } from './tgtd-keeper.js';
import {
  createVolumeFile, deleteVolumeFile, forgetExportCredentials, loadExportCredentials, saveExportCredentials, volumeFilePath,
} from './volume-files.js';

export interface StorageVolumeDependencies {
  node: string;
  volumesDir: string;
  events: EventStore;
  tgtd: TgtdKeeper;
  /** Where volumes created from an image get its bytes. */
  images: ImageSource;
}

/** What a compute host needs to log in to a volume's target. */
export interface VolumeConnection {
  portal: string;
  iqn: string;
  lun: number;
  chapUser: string;
  /** The CHAP secret sealed to the compute host's one-time key: the workflow's history holds only ciphertext. */
  sealedSecret: SealedSecret;
}

export function volumeIqn(volumeId: string): string {
  return `iqn.2026-11.io.strata:volume-${volumeId}`;
}

/** Per workflow run: a retried activity records once, a later delete of the same volume records anew. */
function stepKey(name: string): string {
  const { workflowExecution, activityId } = Context.current().info;
  return workflowExecution ? `${workflowExecution.workflowId}/${workflowExecution.runId}/${name}` : `${activityId}/${name}`;
}

export type AttachmentOutcome =
  | { kind: 'attached' | 'aborted' | 'detached'; attachmentId: string }
  | { kind: 'detach-aborted'; attachmentId: string; message: string };

/**
 * The events that move the volume to the outcome from where it is. A volume its
 * instance's delete releases may still be in-use: it passes through detaching.
 */
function attachmentEvent(outcome: AttachmentOutcome, attached: boolean, status: string): RecordedVolumeEvent[] {
  const { attachmentId } = outcome;
  switch (outcome.kind) {
    case 'attached':
      return attached ? [] : [{ type: 'VolumeAttached.v1', data: { attachmentId } }];
    case 'aborted':
      return status === 'attaching' ? [{ type: 'VolumeAttachAborted.v1', data: { attachmentId } }] : [];
    case 'detached':
      if (status === 'attaching') return [{ type: 'VolumeAttachAborted.v1', data: { attachmentId } }];
      return [...(status === 'in-use' ? [{ type: 'VolumeDetaching.v1', data: { attachmentId } } as const] : []), { type: 'VolumeDetached.v1', data: { attachmentId } }];
    case 'detach-aborted':
      return status === 'detaching' ? [{ type: 'VolumeDetachAborted.v1', data: { attachmentId, message: outcome.message.slice(0, 4096) } }] : [];
  }
}

export function createStorageVolumeActivities(deps: StorageVolumeDependencies) {
  // The volume is part of the key: one workflow (a launch, a delete) may record the same step for several volumes.
  const record = (volumeId: string, step: string, event: RecordedVolumeEvent) => recordVolumeEvent(deps.events, volumeId, stepKey(`${volumeId}/${step}`), event, activityMetadata());

  const liveVolume = async (volumeId: string) => {
    const volume = await readVolume(deps.events, volumeId);
    if (!volume.request || volume.status === 'deleted') throw ApplicationFailure.nonRetryable(`volume ${volumeId} does not exist`, 'VolumeNotFound');
    if (volume.request.node !== deps.node) throw ApplicationFailure.nonRetryable(`volume ${volumeId} lives on node ${volume.request.node}, not ${deps.node}`, 'WrongNode');
    return volume;
  };

  const unexportVolume = async (volumeId: string, initiatorName: string): Promise<void> => {
    await unexportVolumeFile(await deps.tgtd.ensure(), volumeIqn(volumeId));
    await forgetExportCredentials(deps.volumesDir, volumeId, initiatorName);
    const volume = await readVolume(deps.events, volumeId);
    if (volume.exports.some((known) => known.initiatorName === initiatorName)) {
      await record(volumeId, `unexport/${initiatorName}`, { type: 'VolumeUnexported.v1', data: { initiatorName } });
    }
  };

  const recordAttachmentOutcome = async (volumeId: string, outcome: AttachmentOutcome): Promise<void> => {
    const volume = await readVolume(deps.events, volumeId);
    // Already past this outcome (a retried activity, or the instance's delete got there first).
    if (!volume.attachments.some((known) => known.attachmentId === outcome.attachmentId)) return;
    const attached = volume.attachments.some((known) => known.attachmentId === outcome.attachmentId && known.attached);
    for (const next of attachmentEvent(outcome, attached, volume.status)) await record(volumeId, `${outcome.kind}/${outcome.attachmentId}`, next);
  };

  return {
    async createVolume(volumeId: string): Promise<void> {
      const volume = await liveVolume(volumeId);
      const { sizeGb, image } = volume.request as VolumeRequest;
      if (image) await fillVolumeFromImage(deps.volumesDir, volumeId, sizeGb, image, deps.images);
      else await createVolumeFile(deps.volumesDir, volumeId, sizeGb);
      if (volume.status === 'creating') await record(volumeId, 'created', { type: 'VolumeCreated.v1', data: { node: deps.node } });
    },

    /** Records why a create or delete failed, once the workflow has given up on it. */
    async recordVolumeFailure(volumeId: string, operation: 'create' | 'delete', message: string): Promise<void> {
      const event: RecordedVolumeEvent =
        operation === 'create' ? { type: 'VolumeCreationFailed.v1', data: { message: message.slice(0, 4096) } } : { type: 'VolumeDeletionFailed.v1', data: { message: message.slice(0, 4096) } };
      await record(volumeId, `${operation}-failed`, event);
    },

    /** Reserves the volume for an instance being launched (attaching); refused unless it is available. */
    async reserveVolume(volumeId: string, attachment: VolumeAttachment): Promise<void> {
      await liveVolume(volumeId);
      try {
        await handleCommand(deps.events, volumeDecider, volumeStream(volumeId), { kind: 'attach', attachment }, { metadata: activityMetadata(), idempotencyKey: stepKey(`reserve/${attachment.attachmentId}`) });
      } catch (error) {
        if (error instanceof DomainError) throw ApplicationFailure.nonRetryable(error.message, LaunchFailure.invalidRequest);
        throw error;
      }
    },

    /**
     * Withdraws the export and records the attachment ended — only while the volume still
     * holds this attachment, so releasing a reservation that never happened leaves another
     * attachment's export alone.
     */
    async releaseAttachment(volumeId: string, attachmentId: string, initiatorName: string): Promise<void> {
      const volume = await readVolume(deps.events, volumeId);
      if (!volume.attachments.some((known) => known.attachmentId === attachmentId)) return;
      await unexportVolume(volumeId, initiatorName);
      await recordAttachmentOutcome(volumeId, { kind: 'detached', attachmentId });
    },

    /** Records how an attach or detach ended, as the attach and detach workflows saw it. */
    recordAttachmentOutcome,

    /** Refuses while the volume is exported: a host may still be writing to it. */
    async deleteVolume(volumeId: string): Promise<void> {
      // A retry after this activity recorded the deletion but died before reporting it: done.
      if ((await readVolume(deps.events, volumeId)).status === 'deleted') return;
      const volume = await liveVolume(volumeId);
      const iqn = volumeIqn(volumeId);
      const tgtd = await deps.tgtd.running();
      const exported = volume.exports.length > 0 || (tgtd !== undefined && (await findTarget(tgtd, iqn)) !== undefined);
      if (exported) throw ApplicationFailure.nonRetryable(`volume ${volumeId} is still exported over iSCSI; detach it first`, 'VolumeExported');
      await deleteVolumeFile(deps.volumesDir, volumeId);
      if (volume.status === 'deleting') await record(volumeId, 'deleted', { type: 'VolumeDeleted.v1', data: {} });
    },

    async exportVolume(volumeId: string, initiatorName: string, recipientPublicKey: string): Promise<VolumeConnection> {
      await liveVolume(volumeId);
      const tgtd = await deps.tgtd.ensure();
      // A retried export reuses the credentials it made, so the host it answered keeps working.
      const chap = (await loadExportCredentials(deps.volumesDir, volumeId, initiatorName)) ?? newChapCredentials();
      await saveExportCredentials(deps.volumesDir, volumeId, initiatorName, chap);
      const iqn = volumeIqn(volumeId);
      const { lun } = await exportVolumeFile(tgtd, { iqn, backingFile: volumeFilePath(deps.volumesDir, volumeId), initiatorName, chap });
      await record(volumeId, `export/${initiatorName}`, { type: 'VolumeExported.v1', data: { initiatorName, iqn, lun, portal: tgtd.portal, chapUser: chap.user } });
      return { portal: tgtd.portal, iqn, lun, chapUser: chap.user, sealedSecret: sealSecret(chap.password, recipientPublicKey) };
    },

    /** Withdraws the volume's export (one host attaches a volume at a time: no multiattach). */
    unexportVolume,
  };
}

export type StorageVolumeActivities = ReturnType<typeof createStorageVolumeActivities>;
