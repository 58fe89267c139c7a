// What the attach and detach workflows ask of a compute host (volume-host.ts implements
// it). The workflows import these types and the failure names only.
import type { VolumeConnection } from '../storage/volume-activities.js';
import type { LaunchStep } from './contract.js';

export interface VolumePlug {
  volumeId: string;
  attachmentId: string;
  /** vdc, vdd … */
  device: string;
  /** The storage node exporting it. */
  node: string;
  connection: VolumeConnection;
}

/** Failure types the attach and detach workflows tell apart. */
export const VolumeHostFailure = {
  /** The instance has no running QEMU on this host: nothing to plug into. */
  instanceNotRunning: 'InstanceNotRunning',
  /** The guest did not release the disk: the volume stays attached. */
  detachRefused: 'DetachRefused',
  /** The sealed CHAP secret came for a key this host does not hold. */
  missingKey: 'MissingChapKey',
} as const;

export interface VolumeHostActivities {
  /** A one-time key pair for the device's CHAP secret; returns the public half (the private one stays in a 0600 file). */
  volumeRecipientKey(step: LaunchStep, device: string): Promise<string>;
  /** Hot-plugs the volume's target into the instance's QEMU; records InstanceVolumeAttached. */
  plugVolume(step: LaunchStep, plug: VolumePlug): Promise<void>;
  /** Writes the volume into the instance's disks for a QEMU about to start; records InstanceVolumeAttached. */
  prepareVolume(step: LaunchStep, plug: VolumePlug): Promise<void>;
  /** Unplugs it (the guest must release it); records InstanceVolumeDetached. */
  unplugVolume(step: LaunchStep, volumeId: string, device: string): Promise<void>;
}
