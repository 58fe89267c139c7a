// The image aggregate, given(events).when(command).then(events | error), for every
// command in every status an image can be in.
import { describe, expect, it } from 'vitest';
import { DomainError, fold } from '../../../domain/decider.js';
import type { DomainErrorKind } from '../../../domain/decider.js';
import { DEFAULT_ATTRIBUTES } from '../../../domain/image/creation.js';
import type { ImageEvent } from '../../../domain/image/events.js';
import { imageDecider } from '../../../domain/image/image.js';
import type { ImageCommand } from '../../../domain/image/image.js';
import type { ImageStatus } from '../../../domain/image/vocabulary.js';

const imageId = '0b5e7a2c-1111-4c55-8e0f-6a9b8c7d6e5f';
const stored = { location: '6f1d2c1e-6b4c-4f7e-9a55-1d1c3a0f8e21', size: 3, checksum: 'a'.repeat(32), osHashAlgo: 'sha512' as const, osHashValue: 'b'.repeat(128) };

const created: ImageEvent = {
  type: 'ImageCreated.v1',
  data: { imageId, owner: 'p1', ...DEFAULT_ATTRIBUTES, container_format: 'bare', disk_format: 'raw', properties: { os_distro: 'cirros' } },
};

/** Events that bring a fresh image to each status. */
const reach: Record<Exclude<ImageStatus, 'killed' | 'pending_delete'>, ImageEvent[]> = {
  queued: [created],
  saving: [created, { type: 'ImageUploadStarted.v1', data: { imageId } }],
  uploading: [created, { type: 'ImageStagingStarted.v1', data: { imageId } }],
  importing: [created, { type: 'ImageImportStarted.v1', data: { imageId, method: 'web-download', uri: 'http://x/y', workflowId: 'w' } }],
  active: [created, { type: 'ImageUploadStarted.v1', data: { imageId } }, { type: 'ImageActivated.v1', data: { imageId, data: { ...stored, virtualSize: 3 } } }],
  deactivated: [],
  deleted: [created, { type: 'ImageDeleted.v1', data: { imageId } }],
};
reach.deactivated = [...reach.active, { type: 'ImageDeactivated.v1', data: { imageId } }];

function given(events: ImageEvent[]) {
  const state = fold(imageDecider, events);
  return {
    when: (command: ImageCommand) => {
      try {
        return { events: imageDecider.decide(command, state), error: null };
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        return { events: null, error: error.kind };
      }
    },
  };
}

/** The recorded event types joined with commas, a DomainError kind, or 'nothing'. */
type Outcome = string;

function outcome(result: { events: ImageEvent[] | null; error: DomainErrorKind | null }): Outcome {
  if (result.error) return result.error;
  return result.events?.map((event) => event.type).join(',') || 'nothing';
}

const statuses = Object.keys(reach) as Array<keyof typeof reach>;

describe('image commands in every status', () => {
  const expectations: Record<string, Record<keyof typeof reach, Outcome>> = {
    startUpload: { queued: 'ImageUploadStarted.v1', saving: 'conflict', uploading: 'conflict', importing: 'conflict', active: 'conflict', deactivated: 'conflict', deleted: 'not_found' },
    startStaging: { queued: 'ImageStagingStarted.v1', saving: 'conflict', uploading: 'conflict', importing: 'conflict', active: 'conflict', deactivated: 'conflict', deleted: 'not_found' },
    activate: { queued: 'conflict', saving: 'ImageActivated.v1', uploading: 'conflict', importing: 'ImageActivated.v1', active: 'conflict', deactivated: 'conflict', deleted: 'gone' },
    failUpload: { queued: 'nothing', saving: 'ImageUploadFailed.v1', uploading: 'ImageUploadFailed.v1', importing: 'ImageUploadFailed.v1', active: 'nothing', deactivated: 'nothing', deleted: 'not_found' },
    deactivate: { queued: 'forbidden', saving: 'forbidden', uploading: 'forbidden', importing: 'forbidden', active: 'ImageDeactivated.v1', deactivated: 'nothing', deleted: 'not_found' },
    reactivate: { queued: 'forbidden', saving: 'forbidden', uploading: 'forbidden', importing: 'forbidden', active: 'nothing', deactivated: 'ImageReactivated.v1', deleted: 'not_found' },
    delete: { queued: 'ImageDeleted.v1', saving: 'ImageDeleted.v1', uploading: 'ImageDeleted.v1', importing: 'ImageDeleted.v1', active: 'ImageDeleted.v1', deactivated: 'ImageDeleted.v1', deleted: 'not_found' },
    webDownload: { queued: 'ImageImportStarted.v1', saving: 'conflict', uploading: 'conflict', importing: 'conflict', active: 'conflict', deactivated: 'conflict', deleted: 'not_found' },
  };
  const commands: Record<string, ImageCommand> = {
    startUpload: { kind: 'startUpload' },
    startStaging: { kind: 'startStaging' },
    activate: { kind: 'activate', data: { ...stored, virtualSize: null } },
    failUpload: { kind: 'failUpload', reason: 'client went away' },
    deactivate: { kind: 'deactivate' },
    reactivate: { kind: 'reactivate' },
    delete: { kind: 'delete' },
    webDownload: { kind: 'startImport', method: 'web-download', uri: 'https://example.org/a.img', workflowId: 'w' },
  };
  const cases = Object.entries(expectations).flatMap(([name, byStatus]) => statuses.map((status) => [name, status, byStatus[status]] as const));

  it.each(cases)('%s when %s → %s', (name, status, expected) => {
    expect(outcome(given(reach[status]).when(commands[name] as ImageCommand))).toBe(expected);
  });

  it('applies each event: the folded status is the one the events name', () => {
    for (const status of statuses) expect(fold(imageDecider, reach[status])?.status).toBe(status);
  });
});

describe('image rules', () => {
  it('refuses to create an image twice', () => {
    expect(outcome(given([created]).when({ kind: 'create', imageId, owner: 'p1', attributes: { ...DEFAULT_ATTRIBUTES }, properties: {} }))).toBe('conflict');
  });

  it('needs both formats before data is accepted', () => {
    const bare: ImageEvent = { type: 'ImageCreated.v1', data: { ...created.data, disk_format: null } };
    expect(outcome(given([bare]).when({ kind: 'startUpload' }))).toBe('invalid');
    expect(outcome(given([bare]).when({ kind: 'startImport', method: 'web-download', uri: 'http://a/b', workflowId: 'w' }))).toBe('invalid');
  });

  it('refuses delete of a protected image, in any status', () => {
    const protectedImage: ImageEvent = { type: 'ImageUpdated.v1', data: { imageId, attributes: { protected: true }, setProperties: {}, removedProperties: [] } };
    expect(outcome(given([created, protectedImage]).when({ kind: 'delete' }))).toBe('forbidden');
    expect(outcome(given([...reach.active, protectedImage]).when({ kind: 'delete' }))).toBe('forbidden');
  });

  it('changes formats only while queued or importing', () => {
    const change: ImageCommand = { kind: 'update', changes: { attributes: { disk_format: 'qcow2' }, setProperties: {}, removedProperties: [] } };
    expect(outcome(given(reach.queued).when(change))).toBe('ImageUpdated.v1');
    expect(outcome(given(reach.importing).when(change))).toBe('ImageUpdated.v1');
    expect(outcome(given(reach.active).when(change))).toBe('forbidden');
    const same: ImageCommand = { kind: 'update', changes: { attributes: { disk_format: 'raw', name: 'x' }, setProperties: {}, removedProperties: [] } };
    expect(outcome(given(reach.active).when(same))).toBe('ImageUpdated.v1');
  });

  it('records nothing for an update that changes nothing', () => {
    expect(outcome(given(reach.active).when({ kind: 'update', changes: { attributes: {}, setProperties: {}, removedProperties: [] } }))).toBe('nothing');
  });

  it('moves the image to another owner with its other changes, in one decision; the same owner records nothing', () => {
    const noChanges = { attributes: {}, setProperties: {}, removedProperties: [] };
    const both = given(reach.active).when({ kind: 'update', changes: { ...noChanges, attributes: { name: 'moved' } }, owner: 'p2' });
    expect(both.events).toEqual([
      { type: 'ImageUpdated.v1', data: { imageId, attributes: { name: 'moved' }, setProperties: {}, removedProperties: [] } },
      { type: 'ImageOwnerChanged.v1', data: { imageId, owner: 'p2', previousOwner: 'p1' } },
    ]);
    expect(fold(imageDecider, [...reach.active, ...both.events!])).toMatchObject({ owner: 'p2', name: 'moved', status: 'active' });
    expect(outcome(given(reach.active).when({ kind: 'update', changes: noChanges, owner: 'p1' }))).toBe('nothing');
    expect(outcome(given(reach.deleted).when({ kind: 'update', changes: noChanges, owner: 'p2' }))).toBe('not_found');
  });

  it('caps the number of extra properties at 128', () => {
    const many = Object.fromEntries(Array.from({ length: 128 }, (_, n) => [`k${n}`, 'v']));
    expect(outcome(given(reach.queued).when({ kind: 'update', changes: { attributes: {}, setProperties: many, removedProperties: [] } }))).toBe('too_large');
    expect(outcome(given(reach.queued).when({ kind: 'update', changes: { attributes: {}, setProperties: many, removedProperties: ['os_distro'] } }))).toBe('ImageUpdated.v1');
  });

  it('glance-direct import needs staged data; staging records it', () => {
    const direct: ImageCommand = { kind: 'startImport', method: 'glance-direct', uri: null, workflowId: 'w' };
    expect(outcome(given(reach.uploading).when(direct))).toBe('conflict');
    const staged: ImageEvent = { type: 'ImageStaged.v1', data: { imageId, staged: stored } };
    expect(outcome(given([...reach.uploading, staged]).when(direct))).toBe('ImageImportStarted.v1');
    expect(outcome(given(reach.queued).when({ kind: 'recordStaged', staged: stored }))).toBe('conflict');
    expect(outcome(given(reach.deleted).when({ kind: 'recordStaged', staged: stored }))).toBe('gone');
  });

  it('an upload failure returns the image to queued and forgets staged data', () => {
    const state = fold(imageDecider, [...reach.uploading, { type: 'ImageStaged.v1', data: { imageId, staged: stored } }, { type: 'ImageUploadFailed.v1', data: { imageId, reason: 'x' } }]);
    expect(state?.status).toBe('queued');
    expect(state?.staged).toBeNull();
  });

  it('members: only shared images, no duplicates, status changes, removal', () => {
    const shared: ImageEvent = { type: 'ImageUpdated.v1', data: { imageId, attributes: { visibility: 'private' }, setProperties: {}, removedProperties: [] } };
    expect(outcome(given([created, shared]).when({ kind: 'addMember', memberId: 'p2' }))).toBe('forbidden');
    const added: ImageEvent = { type: 'ImageMemberAdded.v1', data: { imageId, memberId: 'p2' } };
    expect(outcome(given([created]).when({ kind: 'addMember', memberId: 'p2' }))).toBe('ImageMemberAdded.v1');
    expect(outcome(given([created, added]).when({ kind: 'addMember', memberId: 'p2' }))).toBe('conflict');
    expect(outcome(given([created, added]).when({ kind: 'setMemberStatus', memberId: 'p2', status: 'accepted' }))).toBe('ImageMemberStatusChanged.v1');
    expect(outcome(given([created, added]).when({ kind: 'setMemberStatus', memberId: 'p2', status: 'pending' }))).toBe('nothing');
    expect(outcome(given([created]).when({ kind: 'setMemberStatus', memberId: 'p2', status: 'accepted' }))).toBe('not_found');
    expect(outcome(given([created, added]).when({ kind: 'removeMember', memberId: 'p2' }))).toBe('ImageMemberRemoved.v1');
    expect(outcome(given([created]).when({ kind: 'removeMember', memberId: 'p2' }))).toBe('not_found');
    const state = fold(imageDecider, [created, added, { type: 'ImageMemberStatusChanged.v1', data: { imageId, memberId: 'p2', status: 'accepted' } }]);
    expect(state?.members.get('p2')).toBe('accepted');
  });

  it('caps members at 128', () => {
    const members: ImageEvent[] = Array.from({ length: 128 }, (_, n) => ({ type: 'ImageMemberAdded.v1', data: { imageId, memberId: `p${n + 10}` } }));
    expect(outcome(given([created, ...members]).when({ kind: 'addMember', memberId: 'p2' }))).toBe('too_large');
  });
});
