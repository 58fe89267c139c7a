// The scheduler's decision, as Nova's filter scheduler makes it: each filter removes the
// hosts that cannot take the instance (saying why), the weigher orders the rest. Pure:
// the caller supplies the hosts' current states and then claims on the best host, where
// the claim is decided once more against the host's own stream.
import type { Flavor } from './flavor.js';
import type { HostHeartbeat } from './host-heartbeat.js';
import { hostDownReason } from './host-heartbeat.js';
import type { HostRegistration, HostState, Resources } from './host.js';
import { freeResources, shortfall } from './host.js';
import type { InstanceRequest } from './instance.js';
import type { ServerGroup } from './server-group.js';
import { placementConflict } from './server-group.js';

export interface CandidateHost {
  state: HostState & { registration: HostRegistration };
  heartbeat: Pick<HostHeartbeat, 'at' | 'intervalSeconds'> | null;
}

export interface GroupPlacements {
  group: ServerGroup;
  /** Member instance → the host it occupies (null while none). */
  members: ReadonlyMap<string, string | null>;
}

export interface PlacementRequest {
  instanceId: string;
  resources: Resources;
  availabilityZone: string | null;
  forcedHost: string | null;
  imageProperties: Readonly<Record<string, string>>;
  /** Hosts an earlier attempt of this launch failed on. */
  excludedHosts: readonly string[];
  group: GroupPlacements | null;
}

export interface Rejection {
  host: string;
  /** The filter that removed the host (Nova's names), or the stage that refused it later. */
  filter: string;
  reason: string;
}

export interface PlacementPlan<Host extends CandidateHost = CandidateHost> {
  /** Hosts that passed every filter, best first. */
  ranked: Host[];
  rejections: Rejection[];
}

/** What an instance of this flavor takes from a host: root, ephemeral and swap all live on its disk. */
export function requestedResources(flavor: Flavor): Resources {
  return { vcpus: flavor.vcpus, ramMb: flavor.ramMb, diskGb: flavor.diskGb + flavor.ephemeralGb + Math.ceil(flavor.swapMb / 1024) };
}

export function placementRequestOf(request: InstanceRequest, excludedHosts: readonly string[], group: GroupPlacements | null): PlacementRequest {
  return {
    instanceId: request.instanceId,
    resources: requestedResources(request.flavor),
    availabilityZone: request.availabilityZone,
    forcedHost: request.forcedHost,
    imageProperties: request.image.properties,
    excludedHosts,
    group,
  };
}

/** qemu-system-x86_64 runs 64- and 32-bit x86 guests. */
const GUEST_ARCHITECTURES = ['x86_64', 'i686'];

function imagePropertiesMismatch({ registration }: CandidateHost['state'], properties: PlacementRequest['imageProperties']): string | null {
  if (properties.hw_firmware_type === 'uefi' && !registration.uefi) return 'has no UEFI firmware (image has hw_firmware_type=uefi)';
  const architecture = properties.hw_architecture ?? properties.architecture;
  if (architecture !== undefined && !GUEST_ARCHITECTURES.includes(architecture)) return `runs x86 guests, image is for ${architecture}`;
  const hypervisor = properties.img_hv_type ?? properties.hypervisor_type;
  const hostHypervisors = registration.accelerator === 'kvm' ? ['qemu', 'kvm'] : ['qemu'];
  if (hypervisor !== undefined && !hostHypervisors.includes(hypervisor)) return `runs ${hostHypervisors.join('/')}, image needs ${hypervisor}`;
  return null;
}

type Filter = (host: CandidateHost, request: PlacementRequest, now: Date) => string | null;

/** Only the resource a filter is about, so each reports its own shortfall. */
const only = (resource: keyof Resources, request: PlacementRequest): Resources => ({ vcpus: 0, ramMb: 0, diskGb: 0, [resource]: request.resources[resource] });

const groupFilter =
  (policy: ServerGroup['policy']): Filter =>
  ({ state }, { group, instanceId }) =>
    group && group.group.policy === policy ? placementConflict(group.group, group.members, instanceId, state.registration.host) : null;

/** In Nova's order: cheap and decisive first, so each host is blamed on the first filter it fails. */
const FILTERS: ReadonlyArray<[string, Filter]> = [
  ['RetryFilter', ({ state }, request) => (request.excludedHosts.includes(state.registration.host) ? 'was already tried by this launch' : null)],
  [
    'AvailabilityZoneFilter',
    ({ state }, request) => {
      const zone = state.registration.availabilityZone;
      return request.availabilityZone === null || request.availabilityZone === zone ? null : `is in zone ${zone}, not ${request.availabilityZone}`;
    },
  ],
  [
    'ComputeFilter',
    ({ state, heartbeat }, _request, now) => {
      if (!state.enabled) return state.disabledReason ? `is disabled (${state.disabledReason})` : 'is disabled';
      const down = hostDownReason(heartbeat, now);
      return down ? `is down: ${down}` : null;
    },
  ],
  ['CoreFilter', ({ state }, request) => shortfall(state, only('vcpus', request))],
  ['RamFilter', ({ state }, request) => shortfall(state, only('ramMb', request))],
  ['DiskFilter', ({ state }, request) => shortfall(state, only('diskGb', request))],
  ['ImagePropertiesFilter', ({ state }, request) => imagePropertiesMismatch(state, request.imageProperties)],
  ['ServerGroupAffinityFilter', groupFilter('affinity')],
  ['ServerGroupAntiAffinityFilter', groupFilter('anti-affinity')],
];

/** Soft group policies prefer hosts by how many members they already hold. */
function softGroupWeight(host: string, group: GroupPlacements | null, instanceId: string): number {
  if (!group) return 0;
  const sign = group.group.policy === 'soft-affinity' ? 1 : group.group.policy === 'soft-anti-affinity' ? -1 : 0;
  if (sign === 0) return 0;
  return sign * [...group.members].filter(([member, at]) => member !== instanceId && at === host).length;
}

export function planPlacement<Host extends CandidateHost>(request: PlacementRequest, hosts: readonly Host[], now: Date): PlacementPlan<Host> {
  const rejections: Rejection[] = [];
  let candidates = hosts;
  if (request.forcedHost !== null) {
    candidates = hosts.filter(({ state }) => state.registration.host === request.forcedHost);
    if (candidates.length === 0) rejections.push({ host: request.forcedHost, filter: 'ForcedHost', reason: 'is not a registered compute host' });
  }
  const passed = candidates.filter((host) => {
    for (const [filter, reject] of FILTERS) {
      const reason = reject(host, request, now);
      if (reason !== null) {
        rejections.push({ host: host.state.registration.host, filter, reason });
        return false;
      }
    }
    return true;
  });
  const weigh = (host: Host) => ({
    soft: softGroupWeight(host.state.registration.host, request.group, request.instanceId),
    freeRamMb: freeResources(host.state).ramMb,
  });
  // Most free RAM first spreads instances over the hosts (Nova's default RAM weigher).
  const ranked = passed
    .map((host) => ({ host, weight: weigh(host) }))
    .sort((a, b) => b.weight.soft - a.weight.soft || b.weight.freeRamMb - a.weight.freeRamMb || a.host.state.registration.host.localeCompare(b.host.state.registration.host))
    .map(({ host }) => host);
  return { ranked, rejections };
}

/** InstanceLaunchFailed keeps at most this many characters of a fault's message. */
const MAX_FAULT_MESSAGE_LENGTH = 4096;
const HOSTS_NAMED_PER_FILTER = 5;

export function truncateFaultMessage(message: string): string {
  return message.length <= MAX_FAULT_MESSAGE_LENGTH ? message : `${message.slice(0, MAX_FAULT_MESSAGE_LENGTH - 1)}…`;
}

/** Nova's NoValidHost message, followed by what each filter (or claim) refused and why. */
export function noValidHostMessage(rejections: readonly Rejection[]): string {
  const prefix = 'No valid host was found.';
  if (rejections.length === 0) return `${prefix} No compute host is registered.`;
  const byFilter = new Map<string, Rejection[]>();
  for (const rejection of rejections) byFilter.set(rejection.filter, [...(byFilter.get(rejection.filter) ?? []), rejection]);
  const parts = [...byFilter].map(([filter, refused]) => {
    const named = refused.slice(0, HOSTS_NAMED_PER_FILTER).map(({ host, reason }) => `${host}: ${reason}`);
    const more = refused.length > HOSTS_NAMED_PER_FILTER ? `; and ${refused.length - HOSTS_NAMED_PER_FILTER} more` : '';
    return `${filter} rejected ${refused.length} host${refused.length === 1 ? '' : 's'} (${named.join('; ')}${more}).`;
  });
  return truncateFaultMessage([prefix, ...parts].join(' '));
}
