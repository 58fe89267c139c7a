// The server group decider: given its events, when a command, then the events or the refusal.
import { describe, expect, it } from 'vitest';
import { DomainError, fold } from '../../domain/decider.js';
import type { ServerGroup, ServerGroupCommand, ServerGroupEvent } from '../../domain/compute/server-group.js';
import { serverGroupDecider } from '../../domain/compute/server-group.js';

const groupId = '11111111-1111-4111-8111-111111111111';
const [a, b, c] = ['a', 'b', 'c'].map((letter) => `00000000-0000-4000-8000-00000000000${letter}`) as [string, string, string];

function created(policy: ServerGroup['policy'], maxServerPerHost: number | null = null): ServerGroupEvent {
  return { type: 'ServerGroupCreated.v1', data: { groupId, name: 'web', policy, maxServerPerHost, projectId: 'p', userId: 'u', createdAt: '2030-01-01T00:00:00Z' } };
}
const placed = (instanceId: string, host: string): ServerGroupEvent => ({ type: 'ServerGroupMemberPlaced.v1', data: { instanceId, host } });

function given(...events: ServerGroupEvent[]) {
  return { when: (command: ServerGroupCommand) => () => serverGroupDecider.decide(command, fold(serverGroupDecider, events)) };
}

describe('server group decider', () => {
  it('creates a group once', () => {
    const creation = created('affinity');
    if (creation.type !== 'ServerGroupCreated.v1') throw new Error('unreachable');
    expect(given().when({ kind: 'create', group: creation.data })()).toEqual([creation]);
    expect(given(creation).when({ kind: 'create', group: creation.data })).toThrow(DomainError);
  });

  it('anti-affinity: a second member on the same host is refused, another host is fine, the same placement again is a no-op', () => {
    const history = [created('anti-affinity'), placed(a, 'h1')];
    expect(given(...history).when({ kind: 'place', instanceId: b, host: 'h1' })).toThrow(/already has 1 member\(s\) on h1/);
    expect(given(...history).when({ kind: 'place', instanceId: b, host: 'h2' })()).toEqual([placed(b, 'h2')]);
    expect(given(...history).when({ kind: 'place', instanceId: a, host: 'h1' })()).toEqual([]);
  });

  it('anti-affinity with max_server_per_host 2 allows two per host', () => {
    const history = [created('anti-affinity', 2), placed(a, 'h1')];
    expect(given(...history).when({ kind: 'place', instanceId: b, host: 'h1' })()).toEqual([placed(b, 'h1')]);
    expect(given(...history, placed(b, 'h1')).when({ kind: 'place', instanceId: c, host: 'h1' })).toThrow(DomainError);
  });

  it('affinity: members follow the first; a member that gave its host back no longer binds the group', () => {
    expect(given(created('affinity'), placed(a, 'h1')).when({ kind: 'place', instanceId: b, host: 'h2' })).toThrow(/has members on h1/);
    const unplaced: ServerGroupEvent = { type: 'ServerGroupMemberUnplaced.v1', data: { instanceId: a } };
    expect(given(created('affinity'), placed(a, 'h1'), unplaced).when({ kind: 'place', instanceId: b, host: 'h2' })()).toEqual([placed(b, 'h2')]);
  });

  it('unplaces only from the host given, removes members once', () => {
    const history = [created('anti-affinity'), placed(a, 'h2')];
    expect(given(...history).when({ kind: 'unplace', instanceId: a, host: 'h1' })()).toEqual([]);
    expect(given(...history).when({ kind: 'unplace', instanceId: a, host: 'h2' })()).toEqual([{ type: 'ServerGroupMemberUnplaced.v1', data: { instanceId: a } }]);
    expect(given(...history).when({ kind: 'remove', instanceId: a })()).toEqual([{ type: 'ServerGroupMemberRemoved.v1', data: { instanceId: a } }]);
    expect(given(...history).when({ kind: 'remove', instanceId: b })()).toEqual([]);
  });

  it('a deleted group takes no placements but still lets members give their host back', () => {
    const deleted: ServerGroupEvent = { type: 'ServerGroupDeleted.v1', data: { groupId } };
    const history = [created('affinity'), placed(a, 'h1'), deleted];
    expect(given(...history).when({ kind: 'place', instanceId: b, host: 'h1' })).toThrow(/could not be found/);
    expect(given(...history).when({ kind: 'delete' })).toThrow(/could not be found/);
    expect(given(...history).when({ kind: 'unplace', instanceId: a, host: 'h1' })()).toHaveLength(1);
    expect(given().when({ kind: 'delete' })).toThrow(/could not be found/);
  });
});
