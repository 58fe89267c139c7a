// The scheduler's filters, weigher and reasons, as pure functions over folded host states.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { shortfall } from '../../domain/compute/host.js';
import { hostDownReason } from '../../domain/compute/host-heartbeat.js';
import type { CandidateHost, GroupPlacements, PlacementRequest } from '../../domain/compute/scheduler.js';
import { noValidHostMessage, planPlacement, requestedResources } from '../../domain/compute/scheduler.js';
import type { ServerGroup } from '../../domain/compute/server-group.js';
import { candidate, flavorNamed, NOW, placementRequest } from './support/hosts.js';

const names = (hosts: readonly CandidateHost[]) => hosts.map((host) => host.state.registration.host);

function group(policy: ServerGroup['policy'], members: Record<string, string | null>, maxServerPerHost: number | null = null): GroupPlacements {
  return {
    group: { groupId: '11111111-1111-4111-8111-111111111111', name: 'g', policy, maxServerPerHost, projectId: 'p', userId: 'u', createdAt: NOW.toISOString() },
    members: new Map(Object.entries(members)),
  };
}

const other = '00000000-0000-4000-8000-0000000000aa';

describe('weigher', () => {
  it('ranks the host with the most free RAM first, ties by name', () => {
    const hosts = [
      candidate('c', { registration: { memoryMb: 4096 } }),
      candidate('a', { registration: { memoryMb: 8192 }, claims: [[other, { vcpus: 1, ramMb: 6144, diskGb: 1 }]] }),
      candidate('b', { registration: { memoryMb: 4096 } }),
      candidate('d', { registration: { memoryMb: 16384 } }),
    ];
    const plan = planPlacement(placementRequest(), hosts, NOW);
    expect(names(plan.ranked)).toEqual(['d', 'b', 'c', 'a']);
    expect(plan.rejections).toEqual([]);
  });

  it('soft-anti-affinity prefers the host with fewer members over free RAM; soft-affinity the one with more', () => {
    const hosts = [candidate('big', { registration: { memoryMb: 16384 } }), candidate('small')];
    const members = { [other]: 'big' };
    expect(names(planPlacement(placementRequest({ group: group('soft-anti-affinity', members) }), hosts, NOW).ranked)).toEqual(['small', 'big']);
    expect(names(planPlacement(placementRequest({ group: group('soft-affinity', { [other]: 'small' }) }), hosts, NOW).ranked)).toEqual(['small', 'big']);
  });
});

describe('filters', () => {
  const rejectionOf = (request: PlacementRequest, host: CandidateHost) => planPlacement(request, [host], NOW).rejections;

  it('AvailabilityZoneFilter keeps the requested zone only', () => {
    const hosts = [candidate('east', { registration: { availabilityZone: 'az-east' } }), candidate('west', { registration: { availabilityZone: 'az-west' } })];
    const plan = planPlacement(placementRequest({ availabilityZone: 'az-west' }), hosts, NOW);
    expect(names(plan.ranked)).toEqual(['west']);
    expect(plan.rejections).toEqual([{ host: 'east', filter: 'AvailabilityZoneFilter', reason: 'is in zone az-east, not az-west' }]);
  });

  it('a forced host is the only candidate, still filtered; an unknown one is reported', () => {
    const hosts = [candidate('h1', { registration: { memoryMb: 16384 } }), candidate('h2')];
    expect(names(planPlacement(placementRequest({ forcedHost: 'h2' }), hosts, NOW).ranked)).toEqual(['h2']);
    expect(planPlacement(placementRequest({ forcedHost: 'h2', availabilityZone: 'other' }), hosts, NOW).rejections).toEqual([
      { host: 'h2', filter: 'AvailabilityZoneFilter', reason: 'is in zone nova, not other' },
    ]);
    expect(planPlacement(placementRequest({ forcedHost: 'h9' }), hosts, NOW)).toEqual({
      ranked: [],
      rejections: [{ host: 'h9', filter: 'ForcedHost', reason: 'is not a registered compute host' }],
    });
  });

  it('ComputeFilter drops disabled hosts and hosts that missed three heartbeats', () => {
    expect(rejectionOf(placementRequest(), candidate('h', { disabled: 'maintenance' }))).toEqual([{ host: 'h', filter: 'ComputeFilter', reason: 'is disabled (maintenance)' }]);
    expect(rejectionOf(placementRequest(), candidate('h', { disabled: null }))[0]?.reason).toBe('is disabled');
    expect(rejectionOf(placementRequest(), candidate('h', { silentSeconds: 30 }))).toEqual([]);
    expect(rejectionOf(placementRequest(), candidate('h', { silentSeconds: 31 }))).toEqual([
      { host: 'h', filter: 'ComputeFilter', reason: 'is down: last heartbeat 31 s ago (every 10 s expected)' },
    ]);
    expect(rejectionOf(placementRequest(), candidate('h', { silentSeconds: null }))[0]?.reason).toBe('is down: has never sent a heartbeat');
  });

  it('CoreFilter, RamFilter and DiskFilter each report their own resource, after allocation ratios', () => {
    const busy: [string, { vcpus: number; ramMb: number; diskGb: number }] = [other, { vcpus: 4, ramMb: 7168, diskGb: 90 }];
    const medium = placementRequest({ resources: requestedResources(flavorNamed('m1.medium')) });
    expect(rejectionOf(medium, candidate('h', { claims: [busy] }))).toEqual([{ host: 'h', filter: 'CoreFilter', reason: 'needs 2 vCPUs, 0 free' }]);
    expect(rejectionOf(medium, candidate('h', { claims: [busy], registration: { cpuAllocationRatio: 2 } }))).toEqual([
      { host: 'h', filter: 'RamFilter', reason: 'needs 4096 MB RAM, 1024 MB free' },
    ]);
    expect(rejectionOf(medium, candidate('h', { claims: [busy], registration: { cpuAllocationRatio: 2, ramAllocationRatio: 1.5 } }))).toEqual([
      { host: 'h', filter: 'DiskFilter', reason: 'needs 40 GB disk, 10 GB free' },
    ]);
    expect(rejectionOf(medium, candidate('h', { claims: [busy], registration: { cpuAllocationRatio: 2, ramAllocationRatio: 1.5, diskAllocationRatio: 2 } }))).toEqual([]);
  });

  it('ImagePropertiesFilter: UEFI images need firmware, foreign architectures and hypervisors are refused', () => {
    const noFirmware = candidate('h', { registration: { uefi: false } });
    expect(rejectionOf(placementRequest({ imageProperties: { hw_firmware_type: 'uefi' } }), noFirmware)).toEqual([
      { host: 'h', filter: 'ImagePropertiesFilter', reason: 'has no UEFI firmware (image has hw_firmware_type=uefi)' },
    ]);
    expect(rejectionOf(placementRequest({ imageProperties: { hw_firmware_type: 'bios' } }), noFirmware)).toEqual([]);
    expect(rejectionOf(placementRequest({ imageProperties: { hw_firmware_type: 'uefi' } }), candidate('h'))).toEqual([]);
    expect(rejectionOf(placementRequest({ imageProperties: { hw_architecture: 'aarch64' } }), candidate('h'))[0]?.reason).toBe('runs x86 guests, image is for aarch64');
    expect(rejectionOf(placementRequest({ imageProperties: { architecture: 'x86_64' } }), candidate('h'))).toEqual([]);
    expect(rejectionOf(placementRequest({ imageProperties: { img_hv_type: 'kvm' } }), candidate('h'))[0]?.reason).toBe('runs qemu, image needs kvm');
    expect(rejectionOf(placementRequest({ imageProperties: { img_hv_type: 'kvm' } }), candidate('h', { registration: { accelerator: 'kvm' } }))).toEqual([]);
  });

  it('RetryFilter drops the hosts this launch already failed on', () => {
    const plan = planPlacement(placementRequest({ excludedHosts: ['h1'] }), [candidate('h1'), candidate('h2')], NOW);
    expect(names(plan.ranked)).toEqual(['h2']);
    expect(plan.rejections).toEqual([{ host: 'h1', filter: 'RetryFilter', reason: 'was already tried by this launch' }]);
  });

  it('ServerGroupAntiAffinityFilter keeps members apart, up to max_server_per_host; the instance itself does not count', () => {
    const hosts = [candidate('h1', { registration: { memoryMb: 16384 } }), candidate('h2')];
    const plan = planPlacement(placementRequest({ group: group('anti-affinity', { [other]: 'h1' }) }), hosts, NOW);
    expect(names(plan.ranked)).toEqual(['h2']);
    expect(plan.rejections[0]).toMatchObject({ host: 'h1', filter: 'ServerGroupAntiAffinityFilter' });
    expect(plan.rejections[0]?.reason).toContain('already has 1 member(s) on h1, at most 1 allowed');
    expect(names(planPlacement(placementRequest({ group: group('anti-affinity', { [other]: 'h1' }, 2) }), hosts, NOW).ranked)).toEqual(['h1', 'h2']);
    const self = placementRequest().instanceId;
    expect(names(planPlacement(placementRequest({ group: group('anti-affinity', { [self]: 'h1', [other]: null }) }), hosts, NOW).ranked)).toEqual(['h1', 'h2']);
  });

  it('ServerGroupAffinityFilter keeps members together', () => {
    const hosts = [candidate('h1', { registration: { memoryMb: 16384 } }), candidate('h2')];
    const plan = planPlacement(placementRequest({ group: group('affinity', { [other]: 'h2' }) }), hosts, NOW);
    expect(names(plan.ranked)).toEqual(['h2']);
    expect(plan.rejections).toEqual([{ host: 'h1', filter: 'ServerGroupAffinityFilter', reason: expect.stringContaining('(affinity) has members on h2') }]);
    expect(names(planPlacement(placementRequest({ group: group('affinity', {}) }), hosts, NOW).ranked)).toEqual(['h1', 'h2']);
  });

  it('blames each host on the first filter it fails, in Nova order', () => {
    const host = candidate('h', { registration: { availabilityZone: 'az2', uefi: false }, disabled: 'x' });
    expect(rejectionOf(placementRequest({ availabilityZone: 'az1', imageProperties: { hw_firmware_type: 'uefi' } }), host).map((r) => r.filter)).toEqual(['AvailabilityZoneFilter']);
  });
});

describe('requested resources', () => {
  it('counts root, ephemeral and swap (rounded up to GB) on the disk', () => {
    expect(requestedResources({ ...flavorNamed('m1.tiny'), ephemeralGb: 2, swapMb: 1536 })).toEqual({ vcpus: 1, ramMb: 512, diskGb: 5 });
  });
});

describe('NoValidHost message', () => {
  it('starts as Nova does and lists each filter with its hosts and reasons', () => {
    const plan = planPlacement(
      placementRequest({ availabilityZone: 'nova', resources: requestedResources(flavorNamed('m1.xlarge')) }),
      [candidate('a'), candidate('b', { registration: { availabilityZone: 'other' } }), candidate('c', { disabled: 'broken disk' })],
      NOW,
    );
    expect(plan.ranked).toEqual([]);
    expect(noValidHostMessage(plan.rejections)).toBe(
      'No valid host was found. CoreFilter rejected 1 host (a: needs 8 vCPUs, 4 free). ' +
        'AvailabilityZoneFilter rejected 1 host (b: is in zone other, not nova). ' +
        'ComputeFilter rejected 1 host (c: is disabled (broken disk)).',
    );
  });

  it('says so when there is no host at all, names at most five hosts per filter and fits a fault', () => {
    expect(noValidHostMessage([])).toBe('No valid host was found. No compute host is registered.');
    const many = Array.from({ length: 7 }, (_, index) => ({ host: `h${index}`, filter: 'RamFilter', reason: 'needs 1 MB RAM, 0 MB free' }));
    expect(noValidHostMessage(many)).toContain('RamFilter rejected 7 hosts (h0: needs 1 MB RAM, 0 MB free; h1');
    expect(noValidHostMessage(many)).toContain('h4: needs 1 MB RAM, 0 MB free; and 2 more).');
    const long = Array.from({ length: 400 }, (_, index) => ({ host: `host-${'x'.repeat(200)}-${index}`, filter: `Filter${index}`, reason: 'no' }));
    expect(noValidHostMessage(long).length).toBeLessThanOrEqual(4096);
  });
});

describe('property: the scheduler never ranks a host that cannot take the instance', () => {
  const hostArbitrary = fc.record({
    vcpus: fc.integer({ min: 1, max: 16 }),
    memoryMb: fc.integer({ min: 256, max: 32768 }),
    diskGb: fc.integer({ min: 0, max: 200 }),
    cpuAllocationRatio: fc.constantFrom(1, 2, 4),
    ramAllocationRatio: fc.constantFrom(1, 1.5),
    zone: fc.constantFrom('az1', 'az2'),
    uefi: fc.boolean(),
    claims: fc.array(fc.record({ vcpus: fc.integer({ min: 0, max: 8 }), ramMb: fc.integer({ min: 0, max: 8192 }), diskGb: fc.integer({ min: 0, max: 80 }) }), { maxLength: 4 }),
    disabled: fc.boolean(),
    silentSeconds: fc.option(fc.integer({ min: 0, max: 120 }), { nil: null }),
  });
  const requestArbitrary = fc.record({
    flavor: fc.constantFrom('m1.tiny', 'm1.small', 'm1.medium', 'm1.large', 'm1.xlarge'),
    zone: fc.option(fc.constantFrom('az1', 'az2'), { nil: null }),
    uefi: fc.boolean(),
  });

  it('every ranked host fits, is enabled, alive, in the zone and has the firmware; every host is ranked or rejected once', () => {
    fc.assert(
      fc.property(fc.array(hostArbitrary, { maxLength: 6 }), requestArbitrary, (specs, spec) => {
        const hosts = specs.map((host, index) =>
          candidate(`h${index}`, {
            registration: { ...host, availabilityZone: host.zone },
            claims: host.claims.map((claim, claimIndex) => [`00000000-0000-4000-8000-${String(claimIndex).padStart(12, '0')}`, claim]),
            ...(host.disabled ? { disabled: null } : {}),
            silentSeconds: host.silentSeconds,
          }),
        );
        const request = placementRequest({
          resources: requestedResources(flavorNamed(spec.flavor)),
          availabilityZone: spec.zone,
          imageProperties: spec.uefi ? { hw_firmware_type: 'uefi' } : {},
        });
        const plan = planPlacement(request, hosts, NOW);
        for (const host of plan.ranked) {
          expect(shortfall(host.state, request.resources)).toBeNull();
          expect(host.state.enabled).toBe(true);
          expect(hostDownReason(host.heartbeat, NOW)).toBeNull();
          if (spec.zone !== null) expect(host.state.registration.availabilityZone).toBe(spec.zone);
          if (spec.uefi) expect(host.state.registration.uefi).toBe(true);
        }
        const seen = [...names(plan.ranked), ...plan.rejections.map((rejection) => rejection.host)].sort();
        expect(seen).toEqual(names(hosts).sort());
      }),
      { numRuns: 500 },
    );
  });
});
