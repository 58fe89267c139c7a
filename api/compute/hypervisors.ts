// Nova's os-hypervisors: each registered compute host with its capacity, what instances
// have claimed on it, and whether it is up (heartbeating) and enabled. Ids are integers
// (the order hosts registered in) before microversion 2.53 and UUIDs from 2.53 on.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { hostDownReason } from '../../domain/compute/host-heartbeat.js';
import { usedResources } from '../../domain/compute/host.js';
import { DomainError } from '../../domain/decider.js';
import { deterministicEventId } from '../../eventstore/event-ids.js';
import type { HostQueries, HostRecord } from '../../projections/host-queries.js';
import { HttpError } from '../errors.js';
import type { Microversion } from './microversion.js';
import { many, one } from '../responses.js';

export interface HypervisorRouteOptions {
  hosts: HostQueries;
}

/** UUIDs (from 2.53) that stay a host's across restarts and read-model rebuilds: derived from its name. */
function hypervisorUuid(host: string): string {
  return deterministicEventId(`hypervisor/${host}`);
}

export function computeServiceUuid(host: string): string {
  return deterministicEventId(`compute-service/${host}`);
}

function hypervisorId(record: HostRecord, microversion: Microversion): number | string {
  return microversion.atLeast('2.53') ? hypervisorUuid(record.state.registration.host) : record.id;
}

/** libvirt's version encoding, as Nova reports it: major × 1,000,000 + minor × 1,000 + micro. */
function versionNumber(qemuVersion: string): number {
  const [major = 0, minor = 0, micro = 0] = (/(\d+)\.(\d+)(?:\.(\d+))?/.exec(qemuVersion) ?? []).slice(1).map(Number);
  return major * 1_000_000 + minor * 1_000 + micro;
}

function summary(record: HostRecord, microversion: Microversion, now: Date) {
  return {
    id: hypervisorId(record, microversion),
    hypervisor_hostname: record.state.registration.host,
    state: hostDownReason(record.heartbeat, now) === null ? 'up' : 'down',
    status: record.state.enabled ? 'enabled' : 'disabled',
  };
}

function detail(record: HostRecord, microversion: Microversion, now: Date) {
  const { registration, disabledReason, claims } = record.state;
  const used = usedResources(record.state);
  const cpuInfo = { arch: 'x86_64', topology: { sockets: 1, cores: registration.vcpus, threads: 1 } };
  return {
    ...summary(record, microversion, now),
    hypervisor_type: 'QEMU',
    hypervisor_version: versionNumber(registration.qemuVersion),
    host_ip: null,
    vcpus: registration.vcpus,
    vcpus_used: used.vcpus,
    memory_mb: registration.memoryMb,
    memory_mb_used: used.ramMb,
    free_ram_mb: registration.memoryMb - used.ramMb,
    local_gb: registration.diskGb,
    local_gb_used: used.diskGb,
    free_disk_gb: registration.diskGb - used.diskGb,
    disk_available_least: registration.diskGb - used.diskGb,
    current_workload: 0,
    running_vms: claims.size,
    // A JSON string before 2.28, an object from then on.
    cpu_info: microversion.atLeast('2.28') ? cpuInfo : JSON.stringify(cpuInfo),
    service: {
      host: registration.host,
      id: microversion.atLeast('2.53') ? computeServiceUuid(registration.host) : record.id,
      disabled_reason: disabledReason,
    },
  };
}

const listQuery = z.looseObject({ hypervisor_hostname_pattern: z.string().min(1).max(255).optional() });
const idParams = z.object({ hypervisorId: z.string().min(1).max(255) });
const patternParams = z.object({ pattern: z.string().min(1).max(255) });

export const hypervisorRoutes: FastifyPluginAsyncZod<HypervisorRouteOptions> = async (app, { hosts }) => {
  const matching = (pattern: string | undefined) => hosts.all().filter((record) => pattern === undefined || record.state.registration.host.includes(pattern));

  const find = (id: string, microversion: Microversion): HostRecord => {
    const found = hosts.all().find((record) => String(hypervisorId(record, microversion)) === id);
    if (!found) throw new DomainError('not_found', `Hypervisor with ID ${id} could not be found.`);
    return found;
  };

  for (const detailed of [false, true]) {
    app.get(
      detailed ? '/os-hypervisors/detail' : '/os-hypervisors',
      {
        schema: { summary: detailed ? 'List hypervisors with details' : 'List hypervisors', response: { 200: many('hypervisors', {}) }, querystring: listQuery },
        config: { policy: detailed ? 'os_compute_api:os-hypervisors:list-detail' : 'os_compute_api:os-hypervisors:list' },
      },
      async (request) => {
        request.authorize();
        const pattern = request.query.hypervisor_hostname_pattern;
        if (pattern !== undefined && !request.microversion.atLeast('2.53')) throw new DomainError('invalid', 'hypervisor_hostname_pattern needs microversion 2.53 or later.');
        const found = matching(pattern);
        if (pattern !== undefined && found.length === 0) throw new DomainError('not_found', `No hypervisor matching '${pattern}' could be found.`);
        const now = new Date();
        return { hypervisors: found.map((record) => (detailed ? detail(record, request.microversion, now) : summary(record, request.microversion, now))) };
      },
    );
  }

  app.get(
    '/os-hypervisors/:pattern/search',
    { schema: { summary: 'Search hypervisors by host name (before 2.53)', response: { 200: many('hypervisors', {}) }, params: patternParams }, config: { policy: 'os_compute_api:os-hypervisors:search' } },
    async (request) => {
      request.authorize();
      if (request.microversion.atLeast('2.53')) throw new HttpError(404, 'The resource could not be found.');
      const found = matching(request.params.pattern);
      if (found.length === 0) throw new DomainError('not_found', `No hypervisor matching '${request.params.pattern}' could be found.`);
      const now = new Date();
      return { hypervisors: found.map((record) => summary(record, request.microversion, now)) };
    },
  );

  app.get(
    '/os-hypervisors/:hypervisorId',
    { schema: { summary: 'Show a hypervisor', response: { 200: one('hypervisor', {}) }, params: idParams }, config: { policy: 'os_compute_api:os-hypervisors:show' } },
    async (request) => {
      request.authorize();
      return { hypervisor: detail(find(request.params.hypervisorId, request.microversion), request.microversion, new Date()) };
    },
  );

  app.get(
    '/os-hypervisors/:hypervisorId/uptime',
    { schema: { summary: 'Hypervisor uptime (not reported)', response: { 200: one('hypervisor', {}) }, params: idParams }, config: { policy: 'os_compute_api:os-hypervisors:uptime' } },
    async (request) => {
      request.authorize();
      find(request.params.hypervisorId, request.microversion);
      // As Nova for a driver that cannot tell: clients treat 501 as "no uptime".
      throw new HttpError(501, 'Virt driver does not implement host uptime.');
    },
  );
};
