// Builds a storage node's activities over its directory and tgtd: the node probe, the
// volume activities, and the keeper that starts tgtd on first use and restores exports.
import { join } from 'node:path';
import { dataPaths } from '../../config/paths.js';
import type { StrataConfig } from '../../config/schema.js';
import type { EventStore } from '../../eventstore/port.js';
import { imageSourceFor } from '../launch/host-wiring.js';
import { createStorageProbeActivities } from '../storage-probe.js';
import { restoreExports } from './export-restore.js';
import type { TgtdKeeper } from './tgtd-keeper.js';
import { keepTgtd } from './tgtd-keeper.js';
import { createStorageVolumeActivities } from './volume-activities.js';

export interface StorageNodeParts {
  activities: ReturnType<typeof createStorageProbeActivities> & ReturnType<typeof createStorageVolumeActivities>;
  tgtd: TgtdKeeper;
}

export function storageNodeParts(config: StrataConfig, events: EventStore, log: (line: string) => void = console.warn): StorageNodeParts {
  const { node, address, iscsiPort } = config.storage;
  const volumesDir = join(dataPaths(config).volumes, node);
  // tgtd's pidfile, log and admin socket live with the volumes it exports (unix sockets: ≤ 107 bytes).
  const tgtdOptions = { stateDir: join(volumesDir, '.tgt'), address, port: iscsiPort };
  const tgtd = keepTgtd(tgtdOptions, async (handle) => {
    const restored = await restoreExports(handle, { node, volumesDir, events, log });
    if (restored > 0) log(`storage node ${node}: restored ${restored} iSCSI export(s) on tgtd pid ${handle.pid}`);
  });
  return {
    activities: { ...createStorageProbeActivities({ node, address, volumesDir }), ...createStorageVolumeActivities({ node, volumesDir, events, tgtd, images: imageSourceFor(config, events) }) },
    tgtd,
  };
}
