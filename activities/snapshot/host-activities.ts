// The snapshot steps on the instance's compute host (contract.ts SnapshotHostActivities).
// The copy is QMP blockdev-backup of vda (sync full) into a new standalone qcow2 next to
// the instance's disks: a point-in-time copy taken while the guest runs, without pausing
// it and without touching the overlay or the cached base. A capture that runs again after
// a crash first ends what the dead attempt left in QEMU; a cancelled one (a delete)
// cancels its block job. The file lives in the instance's directory, so a delete removes
// it too even if this host's cleanup never ran.
import { ApplicationFailure } from '@temporalio/activity';
import { rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { abandonBackup, backupDisk, backupJobId } from '../../hypervisor/block-jobs.js';
import { convert } from '../../hypervisor/qemu-img.js';
import { adoptVm, withQmp } from '../../hypervisor/vm-process.js';
import { heartbeating } from '../heartbeat.js';
import type { HostLayout } from '../launch/host-layout.js';
import { pathExists } from '../launch/path-exists.js';
import type { SnapshotHostActivities } from './contract.js';
import type { GlanceUploader } from './glance-upload.js';

const ROOT_DISK_NODE = 'vda';
/** Well inside the steps' 15 s heartbeat timeout. */
const HEARTBEAT_INTERVAL_MS = 2_000;

export interface SnapshotHostDependencies {
  layout: HostLayout;
  uploader: GlanceUploader;
}

export function snapshotFile(layout: HostLayout, instanceId: string, imageId: string): string {
  return join(layout.instance(instanceId).dir, `snapshot-${imageId}.qcow2`);
}

export function createSnapshotHostActivities({ layout, uploader }: SnapshotHostDependencies): SnapshotHostActivities {
  return {
    captureRootDisk: (step, imageId) =>
      heartbeating(async (context) => {
        const paths = layout.instance(step.instanceId);
        const target = snapshotFile(layout, step.instanceId, imageId);
        await rm(target, { force: true });
        const vm = await adoptVm(paths.dir);
        if (!vm) {
          // A disk that is gone will not come back on a retry.
          if (!(await pathExists(paths.rootDisk))) throw ApplicationFailure.nonRetryable(`instance ${step.instanceId} has no root disk on this host`, 'RootDiskMissing');
          // Not running (SHUTOFF): the disk file is quiet, copy it directly.
          await convert({ source: paths.rootDisk, sourceFormat: 'qcow2', target, targetFormat: 'qcow2' });
        } else {
          await withQmp(vm, async (qmp) => {
            await abandonBackup(qmp, ROOT_DISK_NODE);
            const cancelJob = () => void qmp.execute('block-job-cancel', { device: backupJobId(ROOT_DISK_NODE), force: true }).catch(() => undefined);
            context.cancellationSignal.addEventListener('abort', cancelJob, { once: true });
            try {
              await backupDisk(qmp, { node: ROOT_DISK_NODE, target, timeoutMs: 55 * 60_000 });
            } finally {
              context.cancellationSignal.removeEventListener('abort', cancelJob);
            }
          });
        }
        return { path: target, sizeBytes: (await stat(target)).size };
      }, HEARTBEAT_INTERVAL_MS),

    uploadSnapshot: (_step, imageId, disk) => heartbeating((context) => uploader.upload(imageId, disk.path, context.cancellationSignal), HEARTBEAT_INTERVAL_MS),

    async removeSnapshotFiles(step, imageId) {
      const vm = await adoptVm(layout.instance(step.instanceId).dir);
      if (vm) await withQmp(vm, (qmp) => abandonBackup(qmp, ROOT_DISK_NODE));
      await rm(snapshotFile(layout, step.instanceId, imageId), { force: true });
    },
  };
}
