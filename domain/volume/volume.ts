// The volume aggregate: Cinder's status machine. creating → available | error;
// available → attaching → in-use → detaching → available; available | error → deleting
// → deleted (or error_deleting). The API decides requests and deletes; the workflows
// record what the storage node and the compute host did.
import type { Decider } from '../decider.js';
import { DomainError } from '../decider.js';
import type { VolumeAttachment, VolumeEvent, VolumeEventOf, VolumeExport, VolumeRequest } from './events.js';

export type VolumeStatus = 'creating' | 'available' | 'error' | 'attaching' | 'in-use' | 'detaching' | 'deleting' | 'error_deleting' | 'deleted';

export interface VolumeState {
  request: VolumeRequest | null;
  status: VolumeStatus;
  /** Why creation or deletion failed. */
  failure: string | null;
  /** Exports by initiator: what the node must restore after tgtd or the worker restarts. */
  exports: VolumeExport[];
  /** Attachments, with whether the host finished attaching. */
  attachments: Array<VolumeAttachment & { attached: boolean }>;
}

/** Outcomes the workflows record; each is checked against the state it moves from. */
export type RecordedVolumeEvent = Exclude<VolumeEvent, VolumeEventOf<'VolumeRequested.v1' | 'VolumeDeleting.v1'>>;

export type VolumeCommand =
  | { kind: 'request'; request: VolumeRequest }
  | { kind: 'delete'; requestedAt: string }
  /** Nova's reserve: the volume is attaching to the instance from now on. */
  | { kind: 'attach'; attachment: VolumeAttachment }
  /** Nova's begin_detaching: the instance's attachment is detaching from now on. */
  | { kind: 'detach'; instanceId: string }
  | { kind: 'record'; event: RecordedVolumeEvent };

/** Cinder's words for a delete refused by status (cinder/volume/api.py). */
export const DELETE_REFUSED =
  'Invalid volume: Volume status must be available or error or error_restoring or error_extending or error_managing and must not be migrating, attached, belong to a group, have snapshots, awaiting a transfer, or be disassociated from snapshots after volume transfer.';

/** From which statuses each recorded outcome may come (undefined: any live status). */
const allowedFrom: Partial<Record<RecordedVolumeEvent['type'], readonly VolumeStatus[]>> = {
  'VolumeCreated.v1': ['creating'],
  'VolumeCreationFailed.v1': ['creating'],
  'VolumeAttaching.v1': ['available'],
  'VolumeAttached.v1': ['attaching'],
  'VolumeAttachAborted.v1': ['attaching'],
  'VolumeDetaching.v1': ['in-use'],
  'VolumeDetached.v1': ['detaching'],
  'VolumeDetachAborted.v1': ['detaching'],
  'VolumeDeleted.v1': ['deleting'],
  'VolumeDeletionFailed.v1': ['deleting'],
};

function withoutAttachment(state: VolumeState, attachmentId: string): VolumeState['attachments'] {
  return state.attachments.filter((attachment) => attachment.attachmentId !== attachmentId);
}

function evolve(state: VolumeState, event: VolumeEvent): VolumeState {
  switch (event.type) {
    case 'VolumeRequested.v1':
      return { ...state, request: event.data, status: 'creating' };
    case 'VolumeCreated.v1':
      return { ...state, status: 'available' };
    case 'VolumeCreationFailed.v1':
      return { ...state, status: 'error', failure: event.data.message };
    case 'VolumeExported.v1':
      return { ...state, exports: [...state.exports.filter((known) => known.initiatorName !== event.data.initiatorName), event.data] };
    case 'VolumeUnexported.v1':
      return { ...state, exports: state.exports.filter((known) => known.initiatorName !== event.data.initiatorName) };
    case 'VolumeAttaching.v1':
      return { ...state, status: 'attaching', attachments: [...state.attachments, { ...event.data, attached: false }] };
    case 'VolumeAttached.v1':
      return { ...state, status: 'in-use', attachments: state.attachments.map((known) => (known.attachmentId === event.data.attachmentId ? { ...known, attached: true } : known)) };
    case 'VolumeAttachAborted.v1':
    case 'VolumeDetached.v1':
      return { ...state, status: 'available', attachments: withoutAttachment(state, event.data.attachmentId) };
    case 'VolumeDetaching.v1':
      return { ...state, status: 'detaching' };
    case 'VolumeDetachAborted.v1':
      return { ...state, status: 'in-use' };
    case 'VolumeDeleting.v1':
      return { ...state, status: 'deleting' };
    case 'VolumeDeleted.v1':
      return { ...state, status: 'deleted', exports: [], attachments: [] };
    case 'VolumeDeletionFailed.v1':
      return { ...state, status: 'error_deleting', failure: event.data.message };
  }
}

function notFound(state: VolumeState): DomainError {
  return new DomainError('not_found', state.request ? `Volume ${state.request.volumeId} could not be found.` : 'Volume could not be found.');
}

/** Nova's words when a volume cannot be reserved (nova/volume/cinder.py check_availability_zone / reserve). */
function decideAttach(attachment: VolumeAttachment, state: VolumeState): VolumeEvent[] {
  const volumeId = state.request?.volumeId ?? '';
  if (state.attachments.some((known) => known.instanceId === attachment.instanceId)) {
    throw new DomainError('invalid', `Invalid volume: volume ${volumeId} already attached to instance ${attachment.instanceId}`);
  }
  if (state.status !== 'available') throw new DomainError('invalid', `Invalid volume: volume '${volumeId}' status must be 'available'. Currently in '${state.status}'`);
  return [{ type: 'VolumeAttaching.v1', data: attachment }];
}

function decideDetach(instanceId: string, state: VolumeState): VolumeEvent[] {
  const volumeId = state.request?.volumeId ?? '';
  const attachment = state.attachments.find((known) => known.instanceId === instanceId);
  if (!attachment) throw new DomainError('not_found', `volume_id not found: ${volumeId}`);
  if (state.status === 'detaching') return [];
  if (state.status !== 'in-use' || !attachment.attached) throw new DomainError('invalid', `Invalid volume: Unable to detach volume. Volume status must be 'in-use' and attach_status must be 'attached' to detach. Currently in '${state.status}'`);
  return [{ type: 'VolumeDetaching.v1', data: { attachmentId: attachment.attachmentId } }];
}

/** The attachment of the volume to this instance, if any. */
export function attachmentOf(state: VolumeState, instanceId: string): VolumeState['attachments'][number] | undefined {
  return state.attachments.find((known) => known.instanceId === instanceId);
}

function decide(command: VolumeCommand, state: VolumeState): VolumeEvent[] {
  if (command.kind === 'request') {
    if (state.request) throw new DomainError('conflict', `Volume ${command.request.volumeId} already exists.`);
    return [{ type: 'VolumeRequested.v1', data: command.request }];
  }
  if (!state.request || state.status === 'deleted') throw notFound(state);
  if (command.kind === 'delete') {
    if (state.status === 'deleting') return [];
    // Attached (or on its way in or out): a host may be writing to it.
    if (state.attachments.length > 0) throw new DomainError('conflict', DELETE_REFUSED);
    if (!['available', 'error', 'error_deleting'].includes(state.status)) throw new DomainError('invalid', DELETE_REFUSED);
    return [{ type: 'VolumeDeleting.v1', data: { requestedAt: command.requestedAt } }];
  }
  if (command.kind === 'attach') return decideAttach(command.attachment, state);
  if (command.kind === 'detach') return decideDetach(command.instanceId, state);
  const { event } = command;
  const from = allowedFrom[event.type];
  if (from && !from.includes(state.status)) {
    throw new DomainError('conflict', `Volume ${state.request.volumeId} is ${state.status}; ${event.type} cannot be recorded.`);
  }
  return [event];
}

export const volumeDecider: Decider<VolumeState, VolumeCommand, VolumeEvent> = {
  initialState: () => ({ request: null, status: 'creating', failure: null, exports: [], attachments: [] }),
  evolve,
  decide,
};
