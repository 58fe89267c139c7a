// What a storage node offers: free space for volumes and the iSCSI target it exports
// them with.
import { execa } from 'execa';
import { mkdirSync, statfsSync } from 'node:fs';

export interface StorageNodeFacts {
  node: string;
  address: string;
  freeGb: number;
  /** `tgtadm --version` output; volumes are exported through tgt. */
  tgtVersion: string;
}

export interface StorageProbeDependencies {
  node: string;
  address: string;
  volumesDir: string;
}

export function createStorageProbeActivities(deps: StorageProbeDependencies) {
  return {
    async describeStorageNode(): Promise<StorageNodeFacts> {
      mkdirSync(deps.volumesDir, { recursive: true });
      const disk = statfsSync(deps.volumesDir);
      const { stdout } = await execa('tgtadm', ['--version']);
      return {
        node: deps.node,
        address: deps.address,
        freeGb: Math.floor((disk.bavail * disk.bsize) / 2 ** 30),
        tgtVersion: stdout.trim(),
      };
    },
  };
}

export type StorageProbeActivities = ReturnType<typeof createStorageProbeActivities>;
