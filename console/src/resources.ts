// The strata resources the console reads and acts on, typed to the fields it shows.
import type { Failure as RecordedFailure } from '../../application/ops/failure';
import type { Api } from './api';

export interface Server {
  id: string;
  name: string;
  status: string;
  created: string;
  image: { id: string } | '';
  flavor: { original_name: string; vcpus: number; ram: number; disk: number };
  'OS-EXT-AZ:availability_zone': string;
  'OS-EXT-SRV-ATTR:host'?: string | null;
  'OS-EXT-STS:task_state': string | null;
  'OS-EXT-STS:vm_state': string;
  'os-extended-volumes:volumes_attached'?: Array<{ id: string }>;
  fault?: { code: number; message: string; details?: string };
}

export interface Image {
  id: string;
  name: string | null;
  status: string;
  size: number | null;
  visibility: string;
  checksum: string | null;
  disk_format: string | null;
  container_format: string | null;
  [property: string]: unknown;
}

/** Glance's base attributes: anything else on an image is one of its properties. */
export const IMAGE_BASE_ATTRIBUTES = new Set([
  'id', 'name', 'status', 'visibility', 'protected', 'os_hidden', 'checksum', 'os_hash_algo', 'os_hash_value', 'owner', 'size',
  'virtual_size', 'container_format', 'disk_format', 'created_at', 'updated_at', 'tags', 'min_ram', 'min_disk', 'self', 'file', 'schema',
]);

export interface Flavor {
  id: string;
  name: string;
  vcpus: number;
  ram: number;
  disk: number;
}

export interface Volume {
  id: string;
  name: string | null;
  size: number;
  status: string;
}

export interface Hypervisor {
  id: number | string;
  hypervisor_hostname: string;
  state: string;
  status: string;
  vcpus: number;
  vcpus_used: number;
  memory_mb: number;
  memory_mb_used: number;
  local_gb: number;
  local_gb_used: number;
  running_vms: number;
}

export interface AuditEvent {
  position: number | string;
  revision: number;
  id: string;
  type: string;
  data: Record<string, unknown>;
  metadata: { actor?: { userId: string; projectId: string | null; roles: string[] } | null; requestId?: string; workflowId?: string | null; runId?: string | null; activity?: string | null; timestamp?: string; [key: string]: unknown };
  hash?: string;
}

/** One row of GET /ops/v1/failures: the API's own type, plus the run's Temporal UI link. */
export type Failure = RecordedFailure & { workflow_url: string | null };

export const listServers = async (api: Api) => (await api.request<{ servers: Server[] }>('GET', '/compute/v2.1/servers/detail')).servers;
export const showServer = async (api: Api, id: string) => (await api.request<{ server: Server }>('GET', `/compute/v2.1/servers/${id}`)).server;
export const deleteServer = (api: Api, id: string) => api.request<void>('DELETE', `/compute/v2.1/servers/${id}`);
export const consoleOutput = async (api: Api, id: string) =>
  (await api.request<{ output: string }>('POST', `/compute/v2.1/servers/${id}/action`, { 'os-getConsoleOutput': {} })).output;

export interface LaunchRequest {
  name: string;
  imageRef: string;
  flavorRef: string;
  availabilityZone: string;
  /** An available volume to attach as a data disk (vdc), or '' for none. */
  volumeId: string;
}

export async function launchServer(api: Api, request: LaunchRequest): Promise<string> {
  const server = {
    name: request.name,
    imageRef: request.imageRef,
    flavorRef: request.flavorRef,
    networks: 'none',
    ...(request.availabilityZone ? { availability_zone: request.availabilityZone } : {}),
    // The image still boots (vda); the volume joins as a data disk, kept when the server goes.
    ...(request.volumeId
      ? { block_device_mapping_v2: [{ uuid: request.volumeId, source_type: 'volume', destination_type: 'volume', boot_index: -1, delete_on_termination: false }] }
      : {}),
  };
  return (await api.request<{ server: { id: string } }>('POST', '/compute/v2.1/servers', { server })).server.id;
}

export const listImages = async (api: Api) => (await api.request<{ images: Image[] }>('GET', '/image/v2/images?limit=1000')).images;
export const listFlavors = async (api: Api) => (await api.request<{ flavors: Flavor[] }>('GET', '/compute/v2.1/flavors/detail')).flavors;
export const listVolumes = async (api: Api) => (await api.request<{ volumes: Volume[] }>('GET', `/volume/v3/${api.session.projectId}/volumes/detail`)).volumes;
export const listZones = async (api: Api) =>
  (await api.request<{ availabilityZoneInfo: Array<{ zoneName: string; zoneState: { available: boolean } }> }>('GET', '/compute/v2.1/os-availability-zone')).availabilityZoneInfo;
export const listHypervisors = async (api: Api) => (await api.request<{ hypervisors: Hypervisor[] }>('GET', '/compute/v2.1/os-hypervisors/detail')).hypervisors;

export const auditOf = async (api: Api, instanceId: string) =>
  (await api.request<{ stream: string; events: AuditEvent[] }>('GET', `/ops/v1/audit/instance-${instanceId}`)).events;
export const listFailures = async (api: Api) => (await api.request<{ failures: Failure[] }>('GET', '/ops/v1/failures')).failures;
export const retryInstance = (api: Api, instanceId: string) => api.request<unknown>('POST', `/ops/v1/instances/${instanceId}/retry`);
