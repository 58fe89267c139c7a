// What the snapshot workflow asks of its activities; the workflow imports these types
// only. The control worker records the steps on the instance stream and discards a failed
// snapshot's image; the instance's compute host captures its root disk and uploads it.
// Each recording activity derives its event id from the step's key
// (`snapshot-<requestId>/<step>`), so a retried activity never records twice.
import type { LaunchStep } from '../launch/contract.js';

/** One step of one snapshot; `key` is `snapshot-<requestId>/<step>`. */
export type SnapshotStep = LaunchStep;

export interface SnapshotInput {
  instanceId: string;
  /** The image record createImage made (queued), which the snapshot fills. */
  imageId: string;
  /** The host the instance runs on: its root disk is there. */
  host: string;
}

export interface CapturedDisk {
  /** The standalone qcow2 on the host (the whole backing chain flattened into it). */
  path: string;
  sizeBytes: number;
}

export interface UploadedImage {
  size: number;
  checksum: string | null;
  virtualSize: number | null;
}

export interface SnapshotControlActivities {
  /** Records InstanceSnapshotCaptured (image_pending_upload) or InstanceSnapshotUploading (image_uploading). */
  recordSnapshotProgress(step: SnapshotStep, imageId: string, stage: 'captured' | 'uploading'): Promise<void>;
  /** Records InstanceSnapshotEnded: task_state back to none (or still deleting). */
  recordSnapshotEnded(step: SnapshotStep, imageId: string, failure: string | null): Promise<void>;
  /** Compensation: deletes the snapshot's image and any data it got, whatever its status. */
  discardSnapshotImage(step: SnapshotStep, imageId: string): Promise<void>;
}

export interface SnapshotHostActivities {
  /** A consistent copy of the root disk of the running guest (QMP blockdev-backup), or of the disk file when QEMU is not running; heartbeats. */
  captureRootDisk(step: SnapshotStep, imageId: string): Promise<CapturedDisk>;
  /** Sends the captured qcow2 to the image API (PUT …/file): checksums, size and virtual_size are the store's; the image becomes active. */
  uploadSnapshot(step: SnapshotStep, imageId: string, disk: CapturedDisk): Promise<UploadedImage>;
  /** Removes the captured file and anything a capture left in QEMU; safe to run at any point, and again. */
  removeSnapshotFiles(step: SnapshotStep, imageId: string): Promise<void>;
}
