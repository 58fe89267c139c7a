// What the delete workflow asks of the control worker. The workflow imports these types
// only. Every activity that records appends its event with an id derived from the step's
// key (`delete-<instanceId>/<step>`), so a retried activity never records twice. The host
// step is the launch's own `destroyInstance` (contract.ts HostLaunchActivities), and the
// claim is given back by the scheduling activities' `releaseClaim`.
import type { LaunchStep } from '../launch/contract.js';

/** One step of one delete; `key` is `delete-<instanceId>/<step>` (attempt: the launch attempt whose leftovers it removes). */
export type DeleteStep = LaunchStep;

/** What the delete needs to know once no launch runs any more. */
export interface InstanceToDelete {
  /** The host the instance was last scheduled on; null when it never got one. */
  host: string | null;
  attempt: number;
  groupId: string | null;
  /** Volumes attached to it: released (kept, data intact) once its QEMU is gone. */
  volumes: Array<{ volumeId: string; attachmentId: string; device: string; node: string }>;
}

export interface DeleteActivities {
  /** Cancels the instance's launch, and its snapshot, if they still run, and returns once they have ended (heartbeats while waiting). */
  cancelLaunch(step: DeleteStep): Promise<void>;
  /** Reads the instance as its stream has it now. */
  instanceToDelete(step: DeleteStep): Promise<InstanceToDelete>;
  /** Records InstanceDestroyed: QEMU stopped and the instance's files removed on host. */
  recordInstanceDestroyed(step: DeleteStep, host: string): Promise<void>;
  /** Removes the instance from its server group (Nova drops deleted members). */
  leaveServerGroup(step: DeleteStep, groupId: string): Promise<void>;
  /** Records InstanceDeleted with the time it ended (Nova's terminated_at). */
  recordInstanceDeleted(step: DeleteStep): Promise<void>;
}
