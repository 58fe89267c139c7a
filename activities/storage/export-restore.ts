// Re-creates on a tgtd every export the event log records for this node, with the CHAP
// credentials kept beside each volume, and withdraws every volume target the log does not
// record (an export whose attach never got recorded, or whose withdrawal was lost in a
// crash): the storage side of the orphan reaper. Exporting is idempotent, so restoring onto
// a tgtd that still has its targets (a worker restart) changes nothing. It runs before
// the keeper hands tgtd to any activity, so no export in flight is mistaken for an orphan.
import type { EventStore } from '../../eventstore/port.js';
import { volumesOfNode } from '../../application/volumes/node-volumes.js';
import { exportVolumeFile, listTargets, unexportVolumeFile } from '../../storage/tgt/exports.js';
import type { TgtdHandle } from '../../storage/tgt/tgtd-process.js';
import { volumeIqn } from './volume-activities.js';
import { loadExportCredentials, volumeFilePath } from './volume-files.js';

export interface RestoreDependencies {
  node: string;
  volumesDir: string;
  events: EventStore;
  log: (line: string) => void;
}

/** Returns how many exports it restored; one it cannot restore is logged, never fatal. */
export async function restoreExports(tgtd: TgtdHandle, deps: RestoreDependencies): Promise<number> {
  let restored = 0;
  const recorded = new Set<string>();
  for (const volume of await volumesOfNode(deps.events, deps.node)) {
    const volumeId = volume.request?.volumeId as string;
    for (const { initiatorName, iqn } of volume.exports) {
      recorded.add(iqn);
      const chap = await loadExportCredentials(deps.volumesDir, volumeId, initiatorName);
      if (!chap) {
        deps.log(`volume ${volumeId}: no CHAP credentials on this node for ${initiatorName}; its export is not restored`);
        continue;
      }
      try {
        await exportVolumeFile(tgtd, { iqn, backingFile: volumeFilePath(deps.volumesDir, volumeId), initiatorName, chap });
        restored++;
      } catch (error) {
        deps.log(`volume ${volumeId}: export to ${initiatorName} not restored: ${(error as Error).message}`);
      }
    }
  }
  await withdrawUnrecorded(tgtd, recorded, deps.log);
  return restored;
}

async function withdrawUnrecorded(tgtd: TgtdHandle, recorded: ReadonlySet<string>, log: (line: string) => void): Promise<void> {
  const volumePrefix = volumeIqn('');
  for (const { iqn } of await listTargets(tgtd)) {
    if (!iqn.startsWith(volumePrefix) || recorded.has(iqn)) continue;
    try {
      await unexportVolumeFile(tgtd, iqn);
      log(`iSCSI target ${iqn}: no export of it is recorded; withdrawn`);
    } catch (error) {
      log(`iSCSI target ${iqn}: no export of it is recorded, but withdrawing it failed: ${(error as Error).message}`);
    }
  }
}
