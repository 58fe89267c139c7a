// The storage node's volume activities, on its task queue `storage.<node>`: create and
// delete a volume's file, export it over iSCSI to one compute host and withdraw that
// export. Each records its outcome on the volume's stream with a key derived from the
// workflow, so a retry never records twice.
import { ApplicationFailure, Context } from '@temporalio/activity';
import type { EventStore } from '../../eventstore/port.js';
import { readVolume, recordVolumeEvent } from '../../application/volumes/record-volume-event.js';
import type { RecordedVolumeEvent } from '../../domain/volume/volume.js';
import { exportVolumeFile, findTarget, newChapCredentials, unexportVolumeFile } from '../../storage/tgt/exports.js';
import { activityMetadata } from '../event-metadata.js';
import type { TgtdKeeper } from './tgtd-keeper.js';
import {
  createVolumeFile, deleteVolumeFile, forgetExportCredentials, loadExportCredentials, saveExportCredentials, volumeFilePath,
} from './volume-files.js';

export interface StorageVolumeDependencies {
  node: string;
  volumesDir: string;
  events: EventStore;
  tgtd: TgtdKeeper;
}

/** What a compute host needs to log in to a volume's target. */
export interface VolumeConnection {
  portal: string;
  iqn: string;
  lun: number;
  chapUser: string;
  /**
   * Travels only in this activity's result, which Temporal keeps in the workflow's history
   * (readable by whoever reads histories) until a payload codec encrypts results.
   */
  chapSecret: string;
}

export function volumeIqn(volumeId: string): string {
  return `iqn.2026-11.io.strata:volume-${volumeId}`;
}

/** Per workflow run: a retried activity records once, a later delete of the same volume records anew. */
function stepKey(name: string): string {
  const { workflowExecution, activityId } = Context.current().info;
  return workflowExecution ? `${workflowExecution.workflowId}/${workflowExecution.runId}/${name}` : `${activityId}/${name}`;
}

export function createStorageVolumeActivities(deps: StorageVolumeDependencies) {
  const record = (volumeId: string, step: string, event: RecordedVolumeEvent) => recordVolumeEvent(deps.events, volumeId, stepKey(step), event, activityMetadata());

  const liveVolume = async (volumeId: string) => {
    const volume = await readVolume(deps.events, volumeId);
    if (!volume.request || volume.status === 'deleted') throw ApplicationFailure.nonRetryable(`volume ${volumeId} does not exist`, 'VolumeNotFound');
    if (volume.request.node !== deps.node) throw ApplicationFailure.nonRetryable(`volume ${volumeId} lives on node ${volume.request.node}, not ${deps.node}`, 'WrongNode');
    return volume;
  };

  return {
    async createVolume(volumeId: string): Promise<void> {
      const volume = await liveVolume(volumeId);
      await createVolumeFile(deps.volumesDir, volumeId, volume.request?.sizeGb ?? 0);
      if (volume.status === 'creating') await record(volumeId, 'created', { type: 'VolumeCreated.v1', data: { node: deps.node } });
    },

    /** Records why a create or delete failed, once the workflow has given up on it. */
    async recordVolumeFailure(volumeId: string, operation: 'create' | 'delete', message: string): Promise<void> {
      const event: RecordedVolumeEvent =
        operation === 'create' ? { type: 'VolumeCreationFailed.v1', data: { message: message.slice(0, 4096) } } : { type: 'VolumeDeletionFailed.v1', data: { message: message.slice(0, 4096) } };
      await record(volumeId, `${operation}-failed`, event);
    },

    /** Refuses while the volume is exported: a host may still be writing to it. */
    async deleteVolume(volumeId: string): Promise<void> {
      const volume = await liveVolume(volumeId);
      const iqn = volumeIqn(volumeId);
      const tgtd = await deps.tgtd.running();
      const exported = volume.exports.length > 0 || (tgtd !== undefined && (await findTarget(tgtd, iqn)) !== undefined);
      if (exported) throw ApplicationFailure.nonRetryable(`volume ${volumeId} is still exported over iSCSI; detach it first`, 'VolumeExported');
      await deleteVolumeFile(deps.volumesDir, volumeId);
      if (volume.status === 'deleting') await record(volumeId, 'deleted', { type: 'VolumeDeleted.v1', data: {} });
    },

    async exportVolume(volumeId: string, initiatorName: string): Promise<VolumeConnection> {
      await liveVolume(volumeId);
      const tgtd = await deps.tgtd.ensure();
      // A retried export reuses the credentials it made, so the host it answered keeps working.
      const chap = (await loadExportCredentials(deps.volumesDir, volumeId, initiatorName)) ?? newChapCredentials();
      await saveExportCredentials(deps.volumesDir, volumeId, initiatorName, chap);
      const iqn = volumeIqn(volumeId);
      const { lun } = await exportVolumeFile(tgtd, { iqn, backingFile: volumeFilePath(deps.volumesDir, volumeId), initiatorName, chap });
      await record(volumeId, `export/${initiatorName}`, { type: 'VolumeExported.v1', data: { initiatorName, iqn, lun, portal: tgtd.portal, chapUser: chap.user } });
      return { portal: tgtd.portal, iqn, lun, chapUser: chap.user, chapSecret: chap.password };
    },

    /** Withdraws the volume's export (one host attaches a volume at a time: no multiattach). */
    async unexportVolume(volumeId: string, initiatorName: string): Promise<void> {
      await unexportVolumeFile(await deps.tgtd.ensure(), volumeIqn(volumeId));
      await forgetExportCredentials(deps.volumesDir, volumeId, initiatorName);
      const volume = await readVolume(deps.events, volumeId);
      if (volume.exports.some((known) => known.initiatorName === initiatorName)) {
        await record(volumeId, `unexport/${initiatorName}`, { type: 'VolumeUnexported.v1', data: { initiatorName } });
      }
    },
  };
}

export type StorageVolumeActivities = ReturnType<typeof createStorageVolumeActivities>;
