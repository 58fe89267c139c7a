// Finding a server on behalf of a caller: another project's server (unless the caller is
// an admin) and a deleted one are 404, as Nova's project-scoped lookup answers; and the
// policy target and view settings each server is shown with.
import type { FastifyRequest } from 'fastify';
import { hostDownReason } from '../../domain/compute/host-heartbeat.js';
import { DomainError } from '../../domain/decider.js';
import type { HostQueries } from '../../projections/host-queries.js';
import type { InstanceQueries, InstanceRecord } from '../../projections/instance-queries.js';
import type { ServerViewContext } from './server-views.js';

export type HostStatusOf = (host: string | null) => string;

/**
 * Nova's host_status of a server's host, read once per request: '' without a host,
 * MAINTENANCE when disabled, UP or DOWN by its heartbeats, UNKNOWN for a host never registered.
 */
export function hostStatusReader(hosts: HostQueries): HostStatusOf {
  let records: Map<string, ReturnType<HostQueries['all']>[number]> | undefined;
  const now = new Date();
  return (host) => {
    if (host === null) return '';
    records ??= new Map(hosts.all().map((record) => [record.state.registration.host, record]));
    const record = records.get(host);
    if (!record) return 'UNKNOWN';
    if (!record.state.enabled) return 'MAINTENANCE';
    return hostDownReason(record.heartbeat, now) === null ? 'UP' : 'DOWN';
  };
}

export function serverNotFound(serverId: string): DomainError {
  return new DomainError('not_found', `Instance ${serverId} could not be found.`);
}

/** Nova's target for server policies: the server's project and user. */
export function serverTarget(record: InstanceRecord) {
  return { project_id: record.state.request.projectId, user_id: record.state.request.userId };
}

/** `includeDeleted` for the few reads Nova allows on deleted servers (instance actions from 2.21). */
export function findServer(request: FastifyRequest, instances: InstanceQueries, serverId: string, includeDeleted = false): InstanceRecord {
  const record = instances.instance(serverId);
  if (!record || (record.state.vmState === 'deleted' && !includeDeleted)) throw serverNotFound(serverId);
  if (record.state.request.projectId !== request.caller.project?.id && !request.allowed('context_is_admin')) throw serverNotFound(serverId);
  return record;
}

export function serverViewContext(request: FastifyRequest, record: InstanceRecord, base: string, show: boolean, hostStatusOf: HostStatusOf): ServerViewContext {
  const target = serverTarget(record);
  const showsHostStatus = request.microversion.atLeast('2.16') && request.allowed('os_compute_api:servers:show:host_status', target);
  return {
    base,
    microversion: request.microversion,
    show,
    allowed: {
      extendedAttributes: request.allowed('os_compute_api:os-extended-server-attributes', target),
      flavorExtraSpecs: request.allowed('os_compute_api:os-flavor-extra-specs:index', target),
      isAdmin: request.allowed('context_is_admin'),
    },
    hostStatus: showsHostStatus ? hostStatusOf(record.state.host) : null,
  };
}
