// What the launch workflow asks of its activities. The workflow imports these types only;
// the control worker implements SchedulingActivities, each compute worker
// HostLaunchActivities on its own task queue. Every activity that changes the instance
// appends its event itself, with an id derived from `step.key`, so a retried activity never
// records twice.
import type { InstanceFault, InstanceRequest } from '../../domain/compute/instance.js';

/** Identifies one step of one launch attempt; `key` is the idempotency key of its event. */
export interface LaunchStep {
  instanceId: string;
  attempt: number;
  /** `launch-<instanceId>/attempt-<n>/<step>` */
  key: string;
}

export interface Placement {
  host: string;
  availabilityZone: string;
}

export interface CachedImage {
  /** Absolute path of the base file in the host's `_base` cache. */
  path: string;
  format: 'raw' | 'qcow2';
  virtualSizeBytes: number;
}

/** Failure types the workflow tells apart (ApplicationFailure `type`). */
export const LaunchFailure = {
  /** No host passes the filters: not retried, not rescheduled. */
  noValidHost: 'NoValidHost',
  /** The request cannot work on any host (e.g. image larger than the flavor's disk). */
  invalidRequest: 'InvalidLaunchRequest',
  /** The image data failed verification (checksum, format): retried by re-downloading. */
  imageCorrupt: 'ImageCorrupt',
  /** The guest did not print its boot marker in time. */
  bootTimeout: 'BootTimeout',
} as const;

export interface SchedulingActivities {
  /** Filters and weighs the hosts, claims the flavor's resources on the best one, records InstanceScheduled. */
  scheduleInstance(step: LaunchStep, request: InstanceRequest, excludedHosts: string[]): Promise<Placement>;
  /** Gives the claim back (compensation); a no-op when there is none. */
  releaseClaim(step: LaunchStep, host: string): Promise<void>;
  /** Records InstanceLaunchFailed with the fault operators see. */
  recordLaunchFailure(step: LaunchStep, fault: Omit<InstanceFault, 'created' | 'attempt'>): Promise<void>;
}

export interface HostLaunchActivities {
  /** Downloads (single-flight per host), verifies and caches the image; heartbeats bytes done. */
  ensureImageCached(step: LaunchStep, image: InstanceRequest['image']): Promise<CachedImage>;
  /** qcow2 overlay over the base, sized to the flavor; records RootDiskCreated. */
  createRootDisk(step: LaunchStep, request: InstanceRequest, base: CachedImage): Promise<{ path: string }>;
  /** The flavor's ephemeral disk, when it has one; records EphemeralDiskCreated. */
  createEphemeralDisk(step: LaunchStep, request: InstanceRequest): Promise<{ path: string } | null>;
  /** Starts (or re-adopts) QEMU; records InstanceSpawning and VmStarted. */
  startVm(step: LaunchStep, request: InstanceRequest): Promise<{ pid: number }>;
  /** Waits for the boot marker (or just a running QEMU); records InstanceBooted. */
  waitForBoot(step: LaunchStep, request: InstanceRequest): Promise<void>;
  /** Compensation: stops QEMU and removes the instance's disks and files; the cached base stays. */
  destroyInstance(step: LaunchStep): Promise<void>;
}
