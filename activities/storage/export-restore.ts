// Re-creates on a tgtd every export the event log records for this node, with the CHAP
// credentials kept beside each volume. Exporting is idempotent, so restoring onto a tgtd
// that still has its targets (a worker restart) changes nothing.
import type { EventStore } from '../../eventstore/port.js';
import { volumesOfNode } from '../../application/volumes/node-volumes.js';
import { exportVolumeFile } from '../../storage/tgt/exports.js';
import type { TgtdHandle } from '../../storage/tgt/tgtd-process.js';
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
  for (const volume of await volumesOfNode(deps.events, deps.node)) {
    const volumeId = volume.request?.volumeId as string;
    for (const { initiatorName, iqn } of volume.exports) {
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
  return restored;
}
