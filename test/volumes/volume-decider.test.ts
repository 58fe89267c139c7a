// The volume aggregate as given(events).when(command).then(events | error): Cinder's
// status machine, and deletes refused where Cinder refuses them.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DomainError, fold } from '../../domain/decider.js';
import type { VolumeEvent, VolumeRequest } from '../../domain/volume/events.js';
import { volumeEventSchemas } from '../../domain/volume/events.js';
import type { VolumeCommand, VolumeStatus } from '../../domain/volume/volume.js';
import { DELETE_REFUSED, volumeDecider } from '../../domain/volume/volume.js';

const request: VolumeRequest = {
  volumeId: randomUUID(),
  projectId: 'p1',
  userId: 'u1',
  name: 'v1',
  description: null,
  sizeGb: 1,
  availabilityZone: 'nova',
  node: 'storage1',
  metadata: {},
  createdAt: '2026-11-27T00:00:00Z',
};
const attachment = { attachmentId: randomUUID(), instanceId: randomUUID(), host: 'compute1', device: 'vdc' };

const requested: VolumeEvent = { type: 'VolumeRequested.v1', data: request };
const created: VolumeEvent = { type: 'VolumeCreated.v1', data: { node: 'storage1' } };
const attaching: VolumeEvent = { type: 'VolumeAttaching.v1', data: attachment };
const attached: VolumeEvent = { type: 'VolumeAttached.v1', data: { attachmentId: attachment.attachmentId } };
const detaching: VolumeEvent = { type: 'VolumeDetaching.v1', data: { attachmentId: attachment.attachmentId } };
const detached: VolumeEvent = { type: 'VolumeDetached.v1', data: { attachmentId: attachment.attachmentId } };
const deleting: VolumeEvent = { type: 'VolumeDeleting.v1', data: { requestedAt: '2026-11-27T00:01:00Z' } };
const deleteCommand: VolumeCommand = { kind: 'delete', requestedAt: '2026-11-27T00:01:00Z' };

function given(...events: VolumeEvent[]) {
  const state = fold(volumeDecider, events);
  return {
    status: state.status,
    when: (command: VolumeCommand) => {
      try {
        return { events: volumeDecider.decide(command, state) };
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        return { error: { kind: error.kind, message: error.message } };
      }
    },
  };
}

describe('volume decider', () => {
  it('every event it emits satisfies its registered schema', () => {
    for (const event of [requested, created, attaching, attached, detaching, detached, deleting]) {
      expect(volumeEventSchemas[event.type].safeParse(event.data).success, event.type).toBe(true);
    }
  });

  it('walks Cinder’s statuses: creating → available → attaching → in-use → detaching → available → deleting → deleted', () => {
    const path: Array<[VolumeEvent, VolumeStatus]> = [
      [requested, 'creating'], [created, 'available'], [attaching, 'attaching'], [attached, 'in-use'],
      [detaching, 'detaching'], [detached, 'available'], [deleting, 'deleting'], [{ type: 'VolumeDeleted.v1', data: {} }, 'deleted'],
    ];
    path.forEach(([, status], index) => expect(given(...path.slice(0, index + 1).map(([event]) => event)).status).toBe(status));
  });

  it('records a request once', () => {
    expect(given().when({ kind: 'request', request })).toEqual({ events: [requested] });
    expect(given(requested).when({ kind: 'request', request }).error?.kind).toBe('conflict');
  });

  it('deletes an available or failed volume, and a second delete while deleting changes nothing', () => {
    expect(given(requested, created).when(deleteCommand)).toEqual({ events: [deleting] });
    expect(given(requested, { type: 'VolumeCreationFailed.v1', data: { message: 'disk full' } }).when(deleteCommand)).toEqual({ events: [deleting] });
    expect(given(requested, created, deleting).when(deleteCommand)).toEqual({ events: [] });
  });

  it('refuses to delete a volume that is creating (400), or attaching, in-use or detaching (409), in Cinder’s words', () => {
    expect(given(requested).when(deleteCommand)).toEqual({ error: { kind: 'invalid', message: DELETE_REFUSED } });
    for (const history of [[requested, created, attaching], [requested, created, attaching, attached], [requested, created, attaching, attached, detaching]]) {
      expect(given(...history).when(deleteCommand)).toEqual({ error: { kind: 'conflict', message: DELETE_REFUSED } });
    }
  });

  it('reserves an available volume for one instance; a second attach, or one while not available, is refused', () => {
    expect(given(requested, created).when({ kind: 'attach', attachment })).toEqual({ events: [attaching] });
    const again = given(requested, created, attaching, attached).when({ kind: 'attach', attachment });
    expect(again.error).toEqual({ kind: 'invalid', message: `Invalid volume: volume ${request.volumeId} already attached to instance ${attachment.instanceId}` });
    expect(given(requested, created, attaching, attached).when({ kind: 'attach', attachment: { ...attachment, instanceId: randomUUID() } }).error?.message).toContain("Currently in 'in-use'");
    expect(given(requested).when({ kind: 'attach', attachment }).error?.kind).toBe('invalid');
  });

  it('detaches only an instance the volume is attached to, once; a guest that keeps it leaves it in-use', () => {
    const detach: VolumeCommand = { kind: 'detach', instanceId: attachment.instanceId };
    expect(given(requested, created, attaching, attached).when(detach)).toEqual({ events: [detaching] });
    expect(given(requested, created, attaching, attached, detaching).when(detach)).toEqual({ events: [] });
    expect(given(requested, created).when(detach).error).toEqual({ kind: 'not_found', message: `volume_id not found: ${request.volumeId}` });
    expect(given(requested, created, attaching, attached).when({ kind: 'detach', instanceId: randomUUID() }).error?.kind).toBe('not_found');
    expect(given(requested, created, attaching).when(detach).error?.kind).toBe('invalid');
    const aborted: VolumeEvent = { type: 'VolumeDetachAborted.v1', data: { attachmentId: attachment.attachmentId, message: 'guest kept vdc' } };
    expect(given(requested, created, attaching, attached, detaching, aborted).status).toBe('in-use');
  });

  it('a deleted or never-requested volume is not found', () => {
    expect(given().when(deleteCommand).error?.kind).toBe('not_found');
    expect(given(requested, created, deleting, { type: 'VolumeDeleted.v1', data: {} }).when(deleteCommand).error?.kind).toBe('not_found');
  });

  it('records outcomes only from the status they follow', () => {
    expect(given(requested).when({ kind: 'record', event: created })).toEqual({ events: [created] });
    expect(given(requested, created).when({ kind: 'record', event: created }).error?.kind).toBe('conflict');
    expect(given(requested).when({ kind: 'record', event: attached }).error?.kind).toBe('conflict');
    expect(given(requested, created).when({ kind: 'record', event: { type: 'VolumeDeleted.v1', data: {} } }).error?.kind).toBe('conflict');
  });

  it('keeps one export per initiator, without its CHAP secret, until unexported or deleted', () => {
    const exported = (chapUser: string): VolumeEvent => ({ type: 'VolumeExported.v1', data: { initiatorName: 'iqn.host1', iqn: 'iqn.v', lun: 1, portal: '127.0.0.1:3260', chapUser } });
    expect(fold(volumeDecider, [requested, created, exported('a'), exported('b')]).exports.map((known) => known.chapUser)).toEqual(['b']);
    expect(fold(volumeDecider, [requested, created, exported('a'), { type: 'VolumeUnexported.v1', data: { initiatorName: 'iqn.host1' } }]).exports).toEqual([]);
    expect(fold(volumeDecider, [requested, created, exported('a'), deleting, { type: 'VolumeDeleted.v1', data: {} }]).exports).toEqual([]);
  });
});
