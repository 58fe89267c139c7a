// Hosts and requests for scheduler tests, built the way the system builds them: a host's
// state is folded from its events, a request carries a real flavor.
import { fold } from '../../../domain/decider.js';
import type { Flavor } from '../../../domain/compute/flavor.js';
import { DEFAULT_FLAVORS } from '../../../domain/compute/flavor.js';
import type { HostEvent, HostRegistration, Resources } from '../../../domain/compute/host.js';
import { hostDecider } from '../../../domain/compute/host.js';
import type { CandidateHost, PlacementRequest } from '../../../domain/compute/scheduler.js';
import { requestedResources } from '../../../domain/compute/scheduler.js';

export const NOW = new Date('2030-01-01T12:00:00Z');

export function registration(host: string, overrides: Partial<HostRegistration> = {}): HostRegistration {
  return {
    host,
    availabilityZone: 'nova',
    vcpus: 4,
    memoryMb: 8192,
    diskGb: 100,
    cpuAllocationRatio: 1,
    ramAllocationRatio: 1,
    diskAllocationRatio: 1,
    accelerator: 'tcg',
    uefi: true,
    qemuVersion: 'QEMU emulator version 8.2.2',
    ...overrides,
  };
}

export interface HostSetup {
  registration?: Partial<HostRegistration>;
  claims?: Array<[string, Resources]>;
  disabled?: string | null;
  /** Seconds since the last heartbeat; null for a host that never sent one. */
  silentSeconds?: number | null;
}

export function candidate(host: string, setup: HostSetup = {}): CandidateHost {
  const events: HostEvent[] = [{ type: 'HostRegistered.v1', data: registration(host, setup.registration) }];
  for (const [instanceId, resources] of setup.claims ?? []) events.push({ type: 'ResourcesClaimed.v1', data: { instanceId, ...resources } });
  if (setup.disabled !== undefined) events.push({ type: 'HostStatusChanged.v1', data: { enabled: false, reason: setup.disabled } });
  const state = fold(hostDecider, events);
  if (!state.registration) throw new Error('unreachable: registered above');
  const silent = setup.silentSeconds === undefined ? 1 : setup.silentSeconds;
  return {
    state: { ...state, registration: state.registration },
    heartbeat: silent === null ? null : { at: new Date(NOW.getTime() - silent * 1000).toISOString(), intervalSeconds: 10 },
  };
}

export function flavorNamed(name: string): Flavor {
  const flavor = DEFAULT_FLAVORS.find((candidateFlavor) => candidateFlavor.name === name);
  if (!flavor) throw new Error(`no flavor ${name}`);
  return flavor;
}

export function placementRequest(overrides: Partial<PlacementRequest> = {}): PlacementRequest {
  return {
    instanceId: '00000000-0000-4000-8000-000000000001',
    resources: requestedResources(flavorNamed('m1.small')),
    availabilityZone: null,
    forcedHost: null,
    imageProperties: {},
    excludedHosts: [],
    group: null,
    ...overrides,
  };
}
