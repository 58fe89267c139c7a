// Wires a compute worker's presence: the host registers what its probe found (capacity,
// accelerator, UEFI firmware, zone) with the configured allocation ratios, then sends
// heartbeats at the configured interval until the worker stops.
import { announceHost } from '../../application/hosts/host-presence.js';
import type { HostPresence } from '../../application/hosts/host-presence.js';
import type { StrataConfig } from '../../config/schema.js';
import type { HostRegistration } from '../../domain/compute/host.js';
import type { EventStore } from '../../eventstore/port.js';
import type { HostFacts } from '../host-probe.js';

export function registrationOf(facts: HostFacts, compute: StrataConfig['compute']): HostRegistration {
  return {
    host: facts.host,
    availabilityZone: facts.availabilityZone,
    vcpus: facts.vcpus,
    memoryMb: facts.memoryMb,
    diskGb: facts.diskGb,
    cpuAllocationRatio: compute.cpuAllocationRatio,
    ramAllocationRatio: compute.ramAllocationRatio,
    diskAllocationRatio: compute.diskAllocationRatio,
    accelerator: facts.accelerator,
    uefi: facts.uefi.available,
    qemuVersion: facts.qemuVersion,
  };
}

/** Registers the host and starts its heartbeats; `stop()` ends them. */
export function announceComputeHost(config: StrataConfig, facts: HostFacts, events: EventStore): Promise<HostPresence> {
  return announceHost({
    events,
    registration: registrationOf(facts, config.compute),
    intervalSeconds: config.compute.heartbeatIntervalSeconds,
    log: (line) => console.error(line),
  });
}
