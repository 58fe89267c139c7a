// An instance (Nova's server): requested through the API, then moved by its launch
// workflow through Nova's vm_state × task_state, one event per step, until its delete
// workflow records it deleted.
import { z } from 'zod';
import type { Decider } from '../decider.js';
import { DomainError } from '../decider.js';
import { flavorSchema } from './flavor.js';
import type { RunningSnapshot } from './instance-snapshot.js';
import { decideSnapshot, evolveSnapshot, isSnapshotEvent, snapshotEventSchemas } from './instance-snapshot.js';

export const imageSnapshotSchema = z.object({
  id: z.uuid(),
  name: z.string().nullable(),
  diskFormat: z.string(),
  size: z.number().int().min(0),
  /** sha512 of the data, verified by the host cache; md5 `checksum` when absent. */
  osHashValue: z.string().nullable(),
  checksum: z.string().nullable(),
  minDiskGb: z.number().int().min(0),
  minRamMb: z.number().int().min(0),
  properties: z.record(z.string(), z.string()),
});
export type ImageSnapshot = z.infer<typeof imageSnapshotSchema>;

const faultSchema = z.object({
  code: z.number().int(),
  message: z.string().max(4096),
  /** The launch step that failed, e.g. `schedule`, `ensureImageCached`, `startVm`. */
  step: z.string(),
  host: z.string().nullable(),
  attempt: z.number().int().min(1),
  created: z.string(),
  /** Until when the launch waits for an operator's retry or delete; absent when it does not wait. */
  decisionUntil: z.string().nullish(),
});
export type InstanceFault = z.infer<typeof faultSchema>;

export const instanceEventSchemas = {
  'InstanceRequested.v1': z.object({
    instanceId: z.uuid(),
    name: z.string().min(1).max(255),
    projectId: z.string(),
    userId: z.string(),
    flavor: flavorSchema,
    image: imageSnapshotSchema,
    /** Zone the caller asked for, and a host an admin forced (`AZ:HOST`). */
    availabilityZone: z.string().nullable(),
    forcedHost: z.string().nullable(),
    /** The server group (`--hint group=<id>`) whose policy places it; absent in older events. */
    groupId: z.uuid().nullable().default(null),
    /** Volumes attached at launch (block_device_mapping_v2); device `vda` boots from the volume. Absent in older events. */
    volumes: z.array(z.object({ volumeId: z.uuid(), device: z.string().regex(/^vd[a-z]$/), node: z.string().min(1) })).optional(),
    metadata: z.record(z.string(), z.string()),
    createdAt: z.string(),
  }),
  'InstanceScheduled.v1': z.object({ host: z.string(), availabilityZone: z.string(), attempt: z.number().int().min(1) }),
  'RootDiskCreated.v1': z.object({ path: z.string(), sizeGb: z.number().int().min(0), baseImage: z.string() }),
  'EphemeralDiskCreated.v1': z.object({ path: z.string(), sizeGb: z.number().int().min(1), encrypted: z.boolean() }),
  'InstanceSpawning.v1': z.object({ host: z.string() }),
  'VmStarted.v1': z.object({ pid: z.number().int().min(1) }),
  'InstanceBooted.v1': z.object({ launchedAt: z.string() }),
  'InstanceLaunchFailed.v1': faultSchema,
  /** An operator retried a failed launch: attempt `attempt` starts, on `host` when one was forced, with the image as it is now. */
  'InstanceRetryRequested.v1': z.object({ attempt: z.number().int().min(1), host: z.string().nullable(), image: imageSnapshotSchema, requestedAt: z.string() }),
  /** Nova's os-resetState: an admin sets vm_state by hand; task_state is cleared. */
  'InstanceStateReset.v1': z.object({ vmState: z.enum(['active', 'error']), resetAt: z.string() }),
  /** A delete was asked for: task_state deleting until the delete workflow is done. */
  'InstanceDeleting.v1': z.object({ requestedAt: z.string() }),
  /** QEMU is stopped and the instance's disks and directory are gone from the host. */
  'InstanceDestroyed.v1': z.object({ host: z.string() }),
  'InstanceDeleted.v1': z.object({ terminatedAt: z.string() }),
  ...snapshotEventSchemas,
  /** A volume is plugged into the instance as `device` (vdc…), recorded once the host has it attached. */
  'InstanceVolumeAttached.v1': z.object({ volumeId: z.uuid(), attachmentId: z.uuid(), device: z.string().min(1), node: z.string().min(1) }),
  'InstanceVolumeDetached.v1': z.object({ volumeId: z.uuid() }),
} as const;

type Schemas = typeof instanceEventSchemas;
export type InstanceEvent = { [Type in keyof Schemas]: { type: Type; data: z.infer<Schemas[Type]> } }[keyof Schemas];
export type InstanceRequest = z.infer<Schemas['InstanceRequested.v1']>;

export type VmState = 'building' | 'active' | 'stopped' | 'error' | 'deleted';
export type TaskState = 'scheduling' | 'block_device_mapping' | 'spawning' | 'image_snapshot' | 'image_pending_upload' | 'image_uploading' | 'deleting';

/** Nova's power_state values. */
export const PowerState = { NOSTATE: 0, RUNNING: 1, SHUTDOWN: 4 } as const;

export interface InstanceState {
  request: InstanceRequest | null;
  vmState: VmState | null;
  taskState: TaskState | null;
  powerState: number;
  host: string | null;
  availabilityZone: string | null;
  attempt: number;
  rootDisk: string | null;
  ephemeralDisk: string | null;
  pid: number | null;
  fault: InstanceFault | null;
  launchedAt: string | null;
  /** Absent in states stored before deletes existed. */
  terminatedAt?: string | null;
  /** Attached volumes (Nova's volume block-device mappings); absent in states stored before volumes. */
  volumes?: Array<{ volumeId: string; attachmentId: string; device: string; node: string }>;
  /** The snapshot (createImage) running now; absent in states stored before snapshots. */
  snapshot?: RunningSnapshot | null;
  updatedAt: string | null;
}

/** The API status Nova derives from vm_state (task_state only refines it). */
export function serverStatus(state: Pick<InstanceState, 'vmState'>): 'BUILD' | 'ACTIVE' | 'SHUTOFF' | 'ERROR' | 'DELETED' | 'UNKNOWN' {
  switch (state.vmState) {
    case 'building':
      return 'BUILD';
    case 'active':
      return 'ACTIVE';
    case 'stopped':
      return 'SHUTOFF';
    case 'error':
      return 'ERROR';
    case 'deleted':
      return 'DELETED';
    default:
      return 'UNKNOWN';
  }
}

export type InstanceCommand =
  | { kind: 'request'; request: InstanceRequest }
  | { kind: 'record'; event: Exclude<InstanceEvent, { type: 'InstanceRequested.v1' }> };


export function instanceStream(instanceId: string): string {
  return `instance-${instanceId}`;
}

/** A launch step that lands while a delete runs must not clear task_state deleting. */
function launchTaskState(state: InstanceState, next: TaskState | null): TaskState | null {
  return state.taskState === 'deleting' ? 'deleting' : next;
}

function evolve(state: InstanceState, event: InstanceEvent): InstanceState {
  if (isSnapshotEvent(event)) return evolveSnapshot(state, event);
  switch (event.type) {
    case 'InstanceRequested.v1':
      return { ...state, request: event.data, vmState: 'building', taskState: 'scheduling', updatedAt: event.data.createdAt };
    case 'InstanceScheduled.v1': {
      const { host, availabilityZone, attempt } = event.data;
      return { ...state, host, availabilityZone, attempt, taskState: launchTaskState(state, 'block_device_mapping'), fault: null };
    }
    case 'RootDiskCreated.v1':
      return { ...state, rootDisk: event.data.path };
    case 'EphemeralDiskCreated.v1':
      return { ...state, ephemeralDisk: event.data.path };
    case 'InstanceSpawning.v1':
      return { ...state, taskState: launchTaskState(state, 'spawning') };
    case 'VmStarted.v1':
      return { ...state, pid: event.data.pid };
    case 'InstanceBooted.v1':
      return { ...state, vmState: 'active', taskState: launchTaskState(state, null), powerState: PowerState.RUNNING, launchedAt: event.data.launchedAt, updatedAt: event.data.launchedAt };
    case 'InstanceLaunchFailed.v1':
      return { ...state, vmState: 'error', taskState: launchTaskState(state, null), powerState: PowerState.NOSTATE, pid: null, fault: event.data, updatedAt: event.data.created };
    case 'InstanceRetryRequested.v1': {
      const request = state.request && { ...state.request, image: event.data.image };
      return { ...state, request, vmState: 'building', taskState: launchTaskState(state, 'scheduling'), fault: null, updatedAt: event.data.requestedAt };
    }
    case 'InstanceStateReset.v1':
      return { ...state, vmState: event.data.vmState, taskState: null, updatedAt: event.data.resetAt };
    case 'InstanceDeleting.v1':
      return { ...state, taskState: 'deleting', updatedAt: event.data.requestedAt };
    case 'InstanceDestroyed.v1':
      return { ...state, powerState: PowerState.NOSTATE, pid: null, rootDisk: null, ephemeralDisk: null };
    case 'InstanceVolumeAttached.v1':
      return { ...state, volumes: [...(state.volumes ?? []).filter((known) => known.volumeId !== event.data.volumeId), event.data] };
    case 'InstanceVolumeDetached.v1':
      return { ...state, volumes: (state.volumes ?? []).filter((known) => known.volumeId !== event.data.volumeId) };
    case 'InstanceDeleted.v1':
      return { ...state, vmState: 'deleted', taskState: null, powerState: PowerState.NOSTATE, terminatedAt: event.data.terminatedAt, updatedAt: event.data.terminatedAt };
  }
}

function decide(command: InstanceCommand, state: InstanceState): InstanceEvent[] {
  if (command.kind === 'request') {
    if (state.request) throw new DomainError('conflict', `Instance ${command.request.instanceId} already exists.`);
    return [{ type: 'InstanceRequested.v1', data: command.request }];
  }
  // Nova's lookup finds no deleted instance: nothing more happens to one.
  if (!state.request || state.vmState === 'deleted') throw new DomainError('not_found', 'Instance could not be found.');
  const { event } = command;
  if (isSnapshotEvent(event)) return decideSnapshot({ ...state, request: state.request }, event);
  switch (event.type) {
    case 'InstanceDeleting.v1':
      // A delete may be asked for in any state; asking again while it runs changes nothing.
      return state.taskState === 'deleting' ? [] : [event];
    case 'InstanceVolumeAttached.v1':
    case 'InstanceVolumeDetached.v1':
      // The volume's own stream decides attachments; the instance records what its host did.
      return [event];
    case 'InstanceDestroyed.v1':
    case 'InstanceDeleted.v1':
      if (state.taskState !== 'deleting') throw new DomainError('conflict', `Cannot record ${event.type} before the instance's delete was asked for.`);
      return [event];
    case 'InstanceRetryRequested.v1':
      if (state.vmState !== 'error' || state.taskState === 'deleting') throw new DomainError('conflict', `Cannot retry instance ${state.request.instanceId} while it is ${serverStatus(state)}${state.taskState ? ` (${state.taskState})` : ''}: only a failed launch can be retried.`);
      return [event];
    case 'InstanceStateReset.v1':
      return [event];
    default:
      if (state.vmState !== 'building') throw new DomainError('conflict', `Cannot record ${event.type} while the instance is ${state.vmState ?? 'unknown'}.`);
      return [event];
  }
}

export const instanceDecider: Decider<InstanceState, InstanceCommand, InstanceEvent> = {
  initialState: () => ({
    request: null,
    vmState: null,
    taskState: null,
    powerState: PowerState.NOSTATE,
    host: null,
    availabilityZone: null,
    attempt: 0,
    rootDisk: null,
    ephemeralDisk: null,
    pid: null,
    fault: null,
    launchedAt: null,
    terminatedAt: null,
    updatedAt: null,
  }),
  evolve,
  decide,
};
