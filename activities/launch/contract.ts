// What the launch workflow asks of its activities. The workflow imports these types only;
// the control worker implements SchedulingActivities, each compute worker
// HostLaunchActivities on its own task queue. Every activity that changes the instance
// appends its event itself, with an id derived from `step.key`, so a retried activity never
// records twice.
import type { ImageSnapshot, InstanceFault, InstanceRequest } from '../../domain/compute/instance.js';
import type { EventMetadata } from '../../eventstore/port.js';

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
  /** The instance cannot be retried as it is now (e.g. an admin reset its state meanwhile). */
  retryRefused: 'RetryRefused',
} as const;

/** An operator's retry of a failed launch (the launch workflow's `retry` update). */
export interface OperatorRetry {
  /** A host the next attempt must use (admin-forced); null lets the scheduler choose, the failed host included. */
  host: string | null;
  /** The image as it is now: a fixed image (e.g. its boot marker) is what the retry boots. */
  image: ImageSnapshot;
  /** Who retried and in which request, recorded on the InstanceRetryRequested event. */
  actor: EventMetadata['actor'];
  requestId: string | null;
}

/** What recording a failed launch tells the workflow: how long to wait for an operator (0: not at all). */
export interface LaunchFailureRecorded {
  decisionSeconds: number;
}

export interface SchedulingActivities {
  /** Filters and weighs the hosts, claims the flavor's resources on the best one, records InstanceScheduled. */
  scheduleInstance(step: LaunchStep, request: InstanceRequest, excludedHosts: string[]): Promise<Placement>;
  /** Gives the claim back (compensation); a no-op when there is none. */
  releaseClaim(step: LaunchStep, host: string): Promise<void>;
  /** Records InstanceLaunchFailed with the fault operators see, and until when the launch waits for their decision. */
  recordLaunchFailure(step: LaunchStep, fault: Omit<InstanceFault, 'created' | 'attempt' | 'decisionUntil'>): Promise<LaunchFailureRecorded>;
  /** Records InstanceRetryRequested with the operator as actor; fails with `retryRefused` when the instance cannot be retried. */
  recordRetryRequested(step: LaunchStep, retry: OperatorRetry): Promise<void>;
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
