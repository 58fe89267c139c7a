// The image aggregate: decides every change to one image against its folded state.
// Who may ask is the API's concern (policy); what the image's state allows is decided here.
import type { Decider } from '../decider.js';
import { DomainError } from '../decider.js';
import type { WritableAttributes } from './attributes.js';
import type { ActiveData, ImageEvent, ImageEventData, StoredData } from './events.js';
import { requireTransition } from './status.js';
import { IMAGE_LIMITS } from './vocabulary.js';
import type { ImageStatus, ImportMethod, MemberStatus } from './vocabulary.js';

export interface ImageRecord extends WritableAttributes {
  id: string;
  owner: string;
  status: ImageStatus;
  properties: Record<string, string>;
  data: ActiveData | null;
  staged: StoredData | null;
  members: Map<string, MemberStatus>;
}

/** Null until the image is created. */
export type ImageState = ImageRecord | null;

export type ImageChanges = Omit<ImageEventData<'ImageUpdated.v1'>, 'imageId'>;

export type ImageCommand =
  | { kind: 'create'; imageId: string; owner: string; attributes: WritableAttributes; properties: Record<string, string> }
  /** `owner`: the project the image moves to, if it does (only an admin may ask: policy's concern). */
  | { kind: 'update'; changes: ImageChanges; owner?: string }
  | { kind: 'startUpload' }
  | { kind: 'startStaging' }
  | { kind: 'recordStaged'; staged: StoredData }
  | { kind: 'startImport'; method: ImportMethod; uri: string | null; workflowId: string }
  | { kind: 'activate'; data: ActiveData }
  | { kind: 'failUpload'; reason: string }
  | { kind: 'deactivate' }
  | { kind: 'reactivate' }
  | { kind: 'delete' }
  | { kind: 'addMember'; memberId: string }
  | { kind: 'setMemberStatus'; memberId: string; status: MemberStatus }
  | { kind: 'removeMember'; memberId: string };

type DataCommand = Extract<ImageCommand, { kind: 'startUpload' | 'startStaging' | 'recordStaged' | 'startImport' | 'activate' | 'failUpload' }>;
type MemberCommand = Extract<ImageCommand, { kind: 'addMember' | 'setMemberStatus' | 'removeMember' }>;

const FORMAT_KEYS = ['container_format', 'disk_format'] as const;

function existing(state: ImageState): ImageRecord {
  if (!state || state.status === 'deleted') throw new DomainError('not_found', 'No image found with the given ID.');
  return state;
}

function requireFormats(image: ImageRecord): void {
  if (image.container_format === null || image.disk_format === null) {
    throw new DomainError('invalid', 'Properties disk_format, container_format must be set prior to saving data.');
  }
}

function decideUpdate(image: ImageRecord, changes: ImageChanges, owner: string | undefined): ImageEvent[] {
  const changedFormat = FORMAT_KEYS.find((key) => key in changes.attributes && changes.attributes[key] !== image[key]);
  if (changedFormat && image.status !== 'queued' && image.status !== 'importing') {
    throw new DomainError('forbidden', `Attribute ${changedFormat} can be only replaced for a queued image.`);
  }
  const keys = new Set([...Object.keys(image.properties), ...Object.keys(changes.setProperties)]);
  for (const key of changes.removedProperties) keys.delete(key);
  if (keys.size > IMAGE_LIMITS.properties) throw new DomainError('too_large', `Maximum number of properties exceeded (${IMAGE_LIMITS.properties})`);
  const nothing = Object.keys(changes.attributes).length + Object.keys(changes.setProperties).length + changes.removedProperties.length === 0;
  const events: ImageEvent[] = nothing ? [] : [{ type: 'ImageUpdated.v1', data: { imageId: image.id, ...changes } }];
  if (owner !== undefined && owner !== image.owner) events.push({ type: 'ImageOwnerChanged.v1', data: { imageId: image.id, owner, previousOwner: image.owner } });
  return events;
}

function decideOnData(image: ImageRecord, command: DataCommand): ImageEvent[] {
  const imageId = image.id;
  switch (command.kind) {
    case 'startUpload':
      requireTransition(image.status, 'saving');
      requireFormats(image);
      return [{ type: 'ImageUploadStarted.v1', data: { imageId } }];
    case 'startStaging':
      requireTransition(image.status, 'uploading');
      return [{ type: 'ImageStagingStarted.v1', data: { imageId } }];
    case 'recordStaged':
      if (image.status !== 'uploading') throw new DomainError('conflict', `Image ${imageId} is no longer being staged (status ${image.status}).`);
      return [{ type: 'ImageStaged.v1', data: { imageId, staged: command.staged } }];
    case 'startImport':
      requireFormats(image);
      if (command.method === 'glance-direct' && (image.status !== 'uploading' || !image.staged)) {
        throw new DomainError('conflict', "Image needs to be staged before 'glance-direct' method can be used");
      }
      if (command.method === 'web-download' && image.status !== 'queued') {
        throw new DomainError('conflict', `Image status ${image.status} does not allow 'web-download'; the image must be queued.`);
      }
      requireTransition(image.status, 'importing');
      return [{ type: 'ImageImportStarted.v1', data: { imageId, method: command.method, uri: command.uri, workflowId: command.workflowId } }];
    case 'activate':
      // Only the upload or import that is storing data may activate (not, say, a reactivation).
      if (image.status !== 'saving' && image.status !== 'importing') throw new DomainError('conflict', `Image ${imageId} is not receiving data (status ${image.status}).`);
      return [{ type: 'ImageActivated.v1', data: { imageId, data: command.data } }];
    case 'failUpload':
      // Idempotent: a retried failure report, or one racing a delete, changes nothing.
      if (image.status !== 'saving' && image.status !== 'uploading' && image.status !== 'importing') return [];
      return [{ type: 'ImageUploadFailed.v1', data: { imageId, reason: command.reason } }];
  }
}

function decideMembers(image: ImageRecord, command: MemberCommand): ImageEvent[] {
  const imageId = image.id;
  switch (command.kind) {
    case 'addMember':
      if (image.visibility !== 'shared') throw new DomainError('forbidden', `Only shared images have members.`);
      if (image.members.has(command.memberId)) throw new DomainError('conflict', `Member ${command.memberId} already associated with image ${imageId}.`);
      if (image.members.size >= IMAGE_LIMITS.members) throw new DomainError('too_large', `Maximum number of image members exceeded (${IMAGE_LIMITS.members})`);
      return [{ type: 'ImageMemberAdded.v1', data: { imageId, memberId: command.memberId } }];
    case 'setMemberStatus': {
      const current = image.members.get(command.memberId);
      if (current === undefined) throw new DomainError('not_found', `${command.memberId} is not a member of image ${imageId}.`);
      return current === command.status ? [] : [{ type: 'ImageMemberStatusChanged.v1', data: { imageId, memberId: command.memberId, status: command.status } }];
    }
    case 'removeMember':
      if (!image.members.has(command.memberId)) throw new DomainError('not_found', `${command.memberId} is not a member of image ${imageId}.`);
      return [{ type: 'ImageMemberRemoved.v1', data: { imageId, memberId: command.memberId } }];
  }
}

function decide(command: ImageCommand, state: ImageState): ImageEvent[] {
  if (command.kind === 'create') {
    if (state) throw new DomainError('conflict', `Image with identifier ${command.imageId} already exists!`);
    return [{ type: 'ImageCreated.v1', data: { imageId: command.imageId, owner: command.owner, ...command.attributes, properties: command.properties } }];
  }
  if (state?.status === 'deleted' && (command.kind === 'activate' || command.kind === 'recordStaged')) {
    throw new DomainError('gone', 'Image was deleted while its data was being stored.');
  }
  const image = existing(state);
  const imageId = image.id;
  switch (command.kind) {
    case 'update':
      return decideUpdate(image, command.changes, command.owner);
    case 'deactivate':
      if (image.status === 'deactivated') return [];
      if (image.status !== 'active') throw new DomainError('forbidden', `Not allowed to deactivate image in status '${image.status}'`);
      return [{ type: 'ImageDeactivated.v1', data: { imageId } }];
    case 'reactivate':
      if (image.status === 'active') return [];
      if (image.status !== 'deactivated') throw new DomainError('forbidden', `Not allowed to reactivate image in status '${image.status}'`);
      return [{ type: 'ImageReactivated.v1', data: { imageId } }];
    case 'delete':
      if (image.protected) throw new DomainError('forbidden', `Image ${imageId} is protected and cannot be deleted.`);
      return [{ type: 'ImageDeleted.v1', data: { imageId } }];
    case 'addMember':
    case 'setMemberStatus':
    case 'removeMember':
      return decideMembers(image, command);
    default:
      return decideOnData(image, command);
  }
}

function evolve(state: ImageState, event: ImageEvent): ImageState {
  if (event.type === 'ImageCreated.v1') {
    const { imageId, owner, properties, ...attributes } = event.data;
    return { ...attributes, id: imageId, owner, status: 'queued', properties, data: null, staged: null, members: new Map() };
  }
  if (!state) return state;
  switch (event.type) {
    case 'ImageUpdated.v1': {
      const properties = { ...state.properties, ...event.data.setProperties };
      for (const key of event.data.removedProperties) delete properties[key];
      return { ...state, ...event.data.attributes, properties };
    }
    case 'ImageOwnerChanged.v1':
      return { ...state, owner: event.data.owner };
    case 'ImageUploadStarted.v1':
      return { ...state, status: 'saving' };
    case 'ImageStagingStarted.v1':
      return { ...state, status: 'uploading' };
    case 'ImageStaged.v1':
      return { ...state, staged: event.data.staged };
    case 'ImageImportStarted.v1':
      return { ...state, status: 'importing' };
    case 'ImageActivated.v1':
      return { ...state, status: 'active', data: event.data.data, staged: null };
    case 'ImageUploadFailed.v1':
      return { ...state, status: 'queued', staged: null };
    case 'ImageDeactivated.v1':
      return { ...state, status: 'deactivated' };
    case 'ImageReactivated.v1':
      return { ...state, status: 'active' };
    case 'ImageDeleted.v1':
      return { ...state, status: 'deleted' };
    case 'ImageMemberAdded.v1':
      return { ...state, members: new Map(state.members).set(event.data.memberId, 'pending') };
    case 'ImageMemberStatusChanged.v1':
      return { ...state, members: new Map(state.members).set(event.data.memberId, event.data.status) };
    case 'ImageMemberRemoved.v1': {
      const members = new Map(state.members);
      members.delete(event.data.memberId);
      return { ...state, members };
    }
  }
}

export const imageDecider: Decider<ImageState, ImageCommand, ImageEvent> = {
  initialState: () => null,
  evolve,
  decide,
};
