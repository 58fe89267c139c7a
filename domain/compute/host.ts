// A compute host: what it registered (capacity, capabilities, zone) and what instances
// have claimed on it. Claims are decided against the stream's revision, so two launches
// racing for the last resources on a host cannot both win.
import { z } from 'zod';
import type { Decider } from '../decider.js';
import { DomainError } from '../decider.js';

export const hostRegistrationSchema = z.object({
  host: z.string().regex(/^[A-Za-z0-9._-]{1,255}$/),
  availabilityZone: z.string().min(1).max(255),
  vcpus: z.number().int().min(1),
  memoryMb: z.number().int().min(1),
  diskGb: z.number().int().min(0),
  cpuAllocationRatio: z.number().positive(),
  ramAllocationRatio: z.number().positive(),
  diskAllocationRatio: z.number().positive(),
  accelerator: z.enum(['kvm', 'tcg']),
  uefi: z.boolean(),
  qemuVersion: z.string(),
});
export type HostRegistration = z.infer<typeof hostRegistrationSchema>;

export const resourcesSchema = z.object({ vcpus: z.number().int().min(0), ramMb: z.number().int().min(0), diskGb: z.number().int().min(0) });
export type Resources = z.infer<typeof resourcesSchema>;

export const hostEventSchemas = {
  'HostRegistered.v1': hostRegistrationSchema,
  'HostStatusChanged.v1': z.object({ enabled: z.boolean(), reason: z.string().max(255).nullable() }),
  'ResourcesClaimed.v1': resourcesSchema.extend({ instanceId: z.uuid() }),
  'ResourcesReleased.v1': z.object({ instanceId: z.uuid() }),
} as const;

type Schemas = typeof hostEventSchemas;
export type HostEvent = { [Type in keyof Schemas]: { type: Type; data: z.infer<Schemas[Type]> } }[keyof Schemas];

export interface HostState {
  registration: HostRegistration | null;
  enabled: boolean;
  disabledReason: string | null;
  claims: Map<string, Resources>;
}

export type HostCommand =
  | { kind: 'register'; registration: HostRegistration }
  | { kind: 'setEnabled'; enabled: boolean; reason: string | null }
  | { kind: 'claim'; instanceId: string; resources: Resources }
  | { kind: 'release'; instanceId: string };

export function hostStream(host: string): string {
  return `host-${host}`;
}

export function usedResources(state: HostState): Resources {
  const used = { vcpus: 0, ramMb: 0, diskGb: 0 };
  for (const claim of state.claims.values()) {
    used.vcpus += claim.vcpus;
    used.ramMb += claim.ramMb;
    used.diskGb += claim.diskGb;
  }
  return used;
}

/** What the host can still give, after allocation ratios and existing claims. */
export function freeResources(state: HostState): Resources {
  const registration = state.registration;
  if (!registration) return { vcpus: 0, ramMb: 0, diskGb: 0 };
  const used = usedResources(state);
  return {
    vcpus: Math.floor(registration.vcpus * registration.cpuAllocationRatio) - used.vcpus,
    ramMb: Math.floor(registration.memoryMb * registration.ramAllocationRatio) - used.ramMb,
    diskGb: Math.floor(registration.diskGb * registration.diskAllocationRatio) - used.diskGb,
  };
}

/** Which resource (if any) the host cannot give. */
export function shortfall(state: HostState, wanted: Resources): string | null {
  const free = freeResources(state);
  if (wanted.vcpus > free.vcpus) return `needs ${wanted.vcpus} vCPUs, ${free.vcpus} free`;
  if (wanted.ramMb > free.ramMb) return `needs ${wanted.ramMb} MB RAM, ${free.ramMb} MB free`;
  if (wanted.diskGb > free.diskGb) return `needs ${wanted.diskGb} GB disk, ${free.diskGb} GB free`;
  return null;
}

/** Field by field: the store keeps data with sorted keys, so serialised forms differ in order. */
function sameRegistration(a: HostRegistration | null, b: HostRegistration): boolean {
  return a !== null && (Object.keys(b) as Array<keyof HostRegistration>).every((key) => a[key] === b[key]);
}

export const hostDecider: Decider<HostState, HostCommand, HostEvent> = {
  initialState: () => ({ registration: null, enabled: true, disabledReason: null, claims: new Map() }),
  evolve(state, event) {
    switch (event.type) {
      case 'HostRegistered.v1':
        return { ...state, registration: event.data };
      case 'HostStatusChanged.v1':
        return { ...state, enabled: event.data.enabled, disabledReason: event.data.reason };
      case 'ResourcesClaimed.v1': {
        const { instanceId, ...resources } = event.data;
        return { ...state, claims: new Map(state.claims).set(instanceId, resources) };
      }
      case 'ResourcesReleased.v1': {
        const claims = new Map(state.claims);
        claims.delete(event.data.instanceId);
        return { ...state, claims };
      }
    }
  },
  decide(command, state) {
    switch (command.kind) {
      case 'register':
        return sameRegistration(state.registration, command.registration) ? [] : [{ type: 'HostRegistered.v1', data: command.registration }];
      case 'setEnabled':
        return state.enabled === command.enabled ? [] : [{ type: 'HostStatusChanged.v1', data: { enabled: command.enabled, reason: command.reason } }];
      case 'claim': {
        if (state.claims.has(command.instanceId)) return [];
        if (!state.registration) throw new DomainError('not_found', 'host is not registered');
        if (!state.enabled) throw new DomainError('conflict', `host ${state.registration.host} is disabled`);
        const missing = shortfall(state, command.resources);
        if (missing) throw new DomainError('conflict', `host ${state.registration.host} ${missing}`);
        return [{ type: 'ResourcesClaimed.v1', data: { instanceId: command.instanceId, ...command.resources } }];
      }
      case 'release':
        return state.claims.has(command.instanceId) ? [{ type: 'ResourcesReleased.v1', data: { instanceId: command.instanceId } }] : [];
    }
  },
};
