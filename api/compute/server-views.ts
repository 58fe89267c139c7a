// Nova's server bodies, field by field as novaclient, openstacksdk and the `openstack`
// CLI read them, shaped by microversion: 2.3 (more admin attributes), 2.9 (locked),
// 2.16 (host_status), 2.19 (description), 2.26 (tags), 2.47 (the flavor embedded),
// 2.63 (trusted certificates), 2.71 (server groups, on show), 2.73 (locked_reason).
import { createHash } from 'node:crypto';
import { bootsFromVolume } from '../../domain/compute/boot-source.js';
import { serverStatus } from '../../domain/compute/instance.js';
import type { InstanceRecord } from '../../projections/instance-queries.js';
import { bookmarkLinks, resourceLinks } from './links.js';
import type { Microversion } from './microversion.js';

export interface ServerViewContext {
  base: string;
  microversion: Microversion;
  /** Policy answers for this caller on this server. */
  allowed: { extendedAttributes: boolean; flavorExtraSpecs: boolean; isAdmin: boolean };
  /** The host's status from 2.16, when policy shows it to the caller; otherwise null. */
  hostStatus: string | null;
  /** server show (not list) adds the server groups from 2.71. */
  show: boolean;
}

const PROGRESS_STATUSES = ['BUILD', 'ACTIVE'];
const FAULT_STATUSES = ['ERROR', 'DELETED'];

/** Nova's isotime: seconds, UTC, `Z`. */
function isoSeconds(iso: string): string {
  return `${iso.slice(0, 19)}Z`;
}

/** Nova prints launched_at as the database's naive datetime, microseconds and no zone. */
function naiveMicroseconds(iso: string | null): string | null {
  return iso === null ? null : `${iso.slice(0, 19)}.${iso.slice(20, 23).padEnd(6, '0')}`;
}

/** Nova's hostId: opaque per project, equal for two of a project's servers on one host. */
export function hostIdOf(projectId: string, host: string | null): string {
  return host ? createHash('sha224').update(`${projectId}${host}`).digest('hex') : '';
}

/** Nova's sanitize_hostname, for OS-EXT-SRV-ATTR:hostname. */
function hostnameOf(name: string, instanceId: string): string {
  const cleaned = name
    .slice(0, 63)
    .replace(/[ _.]/g, '-')
    .replace(/[^\w.-]+/g, '')
    .toLowerCase()
    .replace(/^[.-]+|[.-]+$/g, '');
  return cleaned === '' ? `server-${instanceId}` : cleaned;
}

export function serverSummary(record: InstanceRecord, base: string) {
  return { id: record.id, name: record.state.request.name, links: resourceLinks(base, 'servers', record.id) };
}

function flavorView(record: InstanceRecord, { base, microversion, allowed }: ServerViewContext) {
  const { flavor } = record.state.request;
  if (!microversion.atLeast('2.47')) return { id: flavor.id, links: bookmarkLinks(base, 'flavors', flavor.id) };
  return {
    vcpus: flavor.vcpus,
    ram: flavor.ramMb,
    disk: flavor.diskGb,
    ephemeral: flavor.ephemeralGb,
    swap: flavor.swapMb,
    original_name: flavor.name,
    ...(allowed.flavorExtraSpecs ? { extra_specs: {} } : {}),
  };
}

/** The fault of a failed server; its details (the step, host and attempt) are for admins, or when it was not a server error. */
function faultView(record: InstanceRecord, status: string, isAdmin: boolean) {
  const { fault } = record.state;
  if (!fault || !FAULT_STATUSES.includes(status)) return {};
  const details = `launch step ${fault.step} failed${fault.host ? ` on host ${fault.host}` : ''} (attempt ${fault.attempt})`;
  return { fault: { code: fault.code, created: isoSeconds(fault.created), message: fault.message, ...(isAdmin || fault.code !== 500 ? { details } : {}) } };
}

function extendedAttributes(record: InstanceRecord, { microversion, allowed }: ServerViewContext) {
  if (!allowed.extendedAttributes) return {};
  const { host } = record.state;
  return {
    'OS-EXT-SRV-ATTR:host': host,
    'OS-EXT-SRV-ATTR:hypervisor_hostname': host,
    'OS-EXT-SRV-ATTR:instance_name': `instance-${record.id}`,
    ...(microversion.atLeast('2.3')
      ? {
          'OS-EXT-SRV-ATTR:reservation_id': `r-${record.id.slice(0, 8)}`,
          'OS-EXT-SRV-ATTR:launch_index': 0,
          'OS-EXT-SRV-ATTR:hostname': hostnameOf(record.state.request.name, record.id),
          'OS-EXT-SRV-ATTR:kernel_id': '',
          'OS-EXT-SRV-ATTR:ramdisk_id': '',
          'OS-EXT-SRV-ATTR:root_device_name': '/dev/vda',
          'OS-EXT-SRV-ATTR:user_data': null,
        }
      : {}),
  };
}

/** Fields that later microversions add, with strata's values (it has no locks, tags or descriptions). */
function laterFields(record: InstanceRecord, context: ServerViewContext) {
  const { microversion, hostStatus, show } = context;
  const at = (version: string, fields: Record<string, unknown>) => (microversion.atLeast(version) ? fields : {});
  return {
    ...at('2.9', { locked: false }),
    ...(hostStatus === null ? {} : { host_status: hostStatus }),
    ...at('2.19', { description: null }),
    ...at('2.26', { tags: [] }),
    ...at('2.63', { trusted_image_certificates: null }),
    ...(show ? at('2.71', { server_groups: record.state.request.groupId ? [record.state.request.groupId] : [] }) : {}),
    ...at('2.73', { locked_reason: null }),
  };
}

export function serverDetail(record: InstanceRecord, context: ServerViewContext) {
  const { state } = record;
  const { request } = state;
  const status = serverStatus(state);
  return {
    ...serverSummary(record, context.base),
    status,
    tenant_id: request.projectId,
    user_id: request.userId,
    metadata: request.metadata,
    hostId: hostIdOf(request.projectId, state.host),
    // Nova shows "" for a server booted from a volume.
    image: bootsFromVolume(request) ? '' : { id: request.image.id, links: bookmarkLinks(context.base, 'images', request.image.id) },
    flavor: flavorView(record, context),
    created: isoSeconds(record.createdAt),
    updated: isoSeconds(record.updatedAt),
    addresses: {},
    accessIPv4: '',
    accessIPv6: '',
    ...(PROGRESS_STATUSES.includes(status) ? { progress: 0 } : {}),
    'OS-DCF:diskConfig': 'MANUAL',
    'OS-EXT-AZ:availability_zone': state.availabilityZone ?? request.availabilityZone ?? '',
    config_drive: '',
    key_name: null,
    'OS-SRV-USG:launched_at': naiveMicroseconds(state.launchedAt),
    'OS-SRV-USG:terminated_at': naiveMicroseconds(state.terminatedAt ?? null),
    'OS-EXT-STS:task_state': state.taskState,
    'OS-EXT-STS:vm_state': state.vmState,
    'OS-EXT-STS:power_state': state.powerState,
    'os-extended-volumes:volumes_attached': (state.volumes ?? []).map((volume) => ({
      id: volume.volumeId,
      ...(context.microversion.atLeast('2.3') ? { delete_on_termination: false } : {}),
    })),
    security_groups: [{ name: 'default' }],
    ...faultView(record, status, context.allowed.isAdmin),
    ...extendedAttributes(record, context),
    ...laterFields(record, context),
  };
}
