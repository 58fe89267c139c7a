// A server group (Nova's os-server-groups): instances whose hosts follow one policy.
// Where each member runs is recorded on the group's own stream and decided against its
// revision, so two members launched at the same moment cannot both take a host the
// policy allows only one of them: the second placement is decided again and refused.
import { z } from 'zod';
import type { Decider } from '../decider.js';
import { DomainError } from '../decider.js';

export const SERVER_GROUP_POLICIES = ['affinity', 'anti-affinity', 'soft-affinity', 'soft-anti-affinity'] as const;
export type ServerGroupPolicy = (typeof SERVER_GROUP_POLICIES)[number];

export const serverGroupSchema = z.object({
  groupId: z.uuid(),
  name: z.string().min(1).max(255),
  policy: z.enum(SERVER_GROUP_POLICIES),
  /** Nova's `max_server_per_host` rule (anti-affinity only); null means one. */
  maxServerPerHost: z.number().int().min(1).nullable(),
  projectId: z.string(),
  userId: z.string(),
  createdAt: z.string(),
});
export type ServerGroup = z.infer<typeof serverGroupSchema>;

export const serverGroupEventSchemas = {
  'ServerGroupCreated.v1': serverGroupSchema,
  'ServerGroupMemberPlaced.v1': z.object({ instanceId: z.uuid(), host: z.string() }),
  /** The member's claim was given back: it keeps its membership but no longer occupies a host. */
  'ServerGroupMemberUnplaced.v1': z.object({ instanceId: z.uuid() }),
  'ServerGroupMemberRemoved.v1': z.object({ instanceId: z.uuid() }),
  'ServerGroupDeleted.v1': z.object({ groupId: z.uuid() }),
} as const;

type Schemas = typeof serverGroupEventSchemas;
export type ServerGroupEvent = { [Type in keyof Schemas]: { type: Type; data: z.infer<Schemas[Type]> } }[keyof Schemas];

export interface ServerGroupState {
  group: ServerGroup | null;
  deleted: boolean;
  /** Member instance → the host it occupies (null while it occupies none). */
  members: Map<string, string | null>;
}

export type ServerGroupCommand =
  | { kind: 'create'; group: ServerGroup }
  | { kind: 'delete' }
  | { kind: 'place'; instanceId: string; host: string }
  /** Only when the member is on `host`: giving back one host never undoes a newer placement. */
  | { kind: 'unplace'; instanceId: string; host: string }
  | { kind: 'remove'; instanceId: string };

export function serverGroupStream(groupId: string): string {
  return `server-group-${groupId}`;
}

/** Why placing `instanceId` on `host` would break the group's policy, or null when it may go there. */
export function placementConflict(group: ServerGroup, members: ReadonlyMap<string, string | null>, instanceId: string, host: string): string | null {
  const others = [...members].filter(([member, at]) => member !== instanceId && at !== null).map(([, at]) => at as string);
  if (group.policy === 'affinity') {
    const elsewhere = others.find((at) => at !== host);
    return elsewhere === undefined ? null : `server group ${group.groupId} (affinity) has members on ${elsewhere}`;
  }
  if (group.policy === 'anti-affinity') {
    const limit = group.maxServerPerHost ?? 1;
    const here = others.filter((at) => at === host).length;
    return here < limit ? null : `server group ${group.groupId} (anti-affinity) already has ${here} member(s) on ${host}, at most ${limit} allowed`;
  }
  // The soft policies only weigh hosts; they never refuse one.
  return null;
}

function liveGroup(state: ServerGroupState): ServerGroup {
  if (!state.group || state.deleted) throw new DomainError('not_found', 'Server group could not be found.');
  return state.group;
}

function evolve(state: ServerGroupState, event: ServerGroupEvent): ServerGroupState {
  switch (event.type) {
    case 'ServerGroupCreated.v1':
      return { ...state, group: event.data };
    case 'ServerGroupMemberPlaced.v1':
      return { ...state, members: new Map(state.members).set(event.data.instanceId, event.data.host) };
    case 'ServerGroupMemberUnplaced.v1':
      return { ...state, members: new Map(state.members).set(event.data.instanceId, null) };
    case 'ServerGroupMemberRemoved.v1': {
      const members = new Map(state.members);
      members.delete(event.data.instanceId);
      return { ...state, members };
    }
    case 'ServerGroupDeleted.v1':
      return { ...state, deleted: true };
  }
}

function decide(command: ServerGroupCommand, state: ServerGroupState): ServerGroupEvent[] {
  switch (command.kind) {
    case 'create':
      if (state.group) throw new DomainError('conflict', `Server group ${command.group.groupId} already exists.`);
      return [{ type: 'ServerGroupCreated.v1', data: command.group }];
    case 'delete':
      return [{ type: 'ServerGroupDeleted.v1', data: { groupId: liveGroup(state).groupId } }];
    case 'place': {
      const group = liveGroup(state);
      if (state.members.get(command.instanceId) === command.host) return [];
      const conflict = placementConflict(group, state.members, command.instanceId, command.host);
      if (conflict) throw new DomainError('conflict', conflict);
      return [{ type: 'ServerGroupMemberPlaced.v1', data: { instanceId: command.instanceId, host: command.host } }];
    }
    // Giving a host back or leaving stays possible after the group is deleted: the
    // compensation of a launch must not fail because an operator removed the group.
    case 'unplace':
      return state.members.get(command.instanceId) === command.host ? [{ type: 'ServerGroupMemberUnplaced.v1', data: { instanceId: command.instanceId } }] : [];
    case 'remove':
      return state.members.has(command.instanceId) ? [{ type: 'ServerGroupMemberRemoved.v1', data: { instanceId: command.instanceId } }] : [];
  }
}

export const serverGroupDecider: Decider<ServerGroupState, ServerGroupCommand, ServerGroupEvent> = {
  initialState: () => ({ group: null, deleted: false, members: new Map() }),
  evolve,
  decide,
};
