// Cinder v3.0's volume views: the summary (id, name, links) and the detail that
// `openstack volume show` prints. Admins also see the tenant and host attributes.
import type { VolumeRecord } from '../../projections/volume-queries.js';

export interface VolumeViewContext {
  /** `<api>/volume`. */
  base: string;
  isAdmin: boolean;
}

/** Cinder's name for the volume type a deployment without types gives every volume. */
const DEFAULT_VOLUME_TYPE = '__DEFAULT__';

function links(record: VolumeRecord, { base }: VolumeViewContext) {
  const project = record.state.request.projectId;
  return [
    { rel: 'self', href: `${base}/v3/${project}/volumes/${record.id}` },
    { rel: 'bookmark', href: `${base}/${project}/volumes/${record.id}` },
  ];
}

export function volumeSummary(record: VolumeRecord, context: VolumeViewContext) {
  return { id: record.id, name: record.state.request.name, links: links(record, context) };
}

export function volumeDetail(record: VolumeRecord, context: VolumeViewContext) {
  const { request, status, attachments } = record.state;
  const { image } = request;
  return {
    id: record.id,
    name: request.name,
    description: request.description,
    status,
    size: request.sizeGb,
    availability_zone: request.availabilityZone,
    created_at: request.createdAt,
    updated_at: record.updatedAt,
    attachments: attachments
      .filter((attachment) => attachment.attached)
      .map((attachment) => ({
        id: record.id,
        attachment_id: attachment.attachmentId,
        volume_id: record.id,
        server_id: attachment.instanceId,
        host_name: attachment.host,
        device: attachment.device,
      })),
    bootable: image ? 'true' : 'false',
    // Cinder copies the image's properties here; Nova boots a volume with them as its image metadata.
    ...(image ? { volume_image_metadata: { image_id: image.id, image_name: image.name ?? '', disk_format: image.diskFormat, ...image.properties } } : {}),
    encrypted: false,
    multiattach: false,
    volume_type: DEFAULT_VOLUME_TYPE,
    snapshot_id: null,
    source_volid: null,
    consistencygroup_id: null,
    replication_status: null,
    migration_status: null,
    metadata: request.metadata,
    user_id: request.userId,
    links: links(record, context),
    ...(context.isAdmin ? { 'os-vol-tenant-attr:tenant_id': request.projectId, 'os-vol-host-attr:host': `${request.node}@tgt#tgt` } : {}),
  };
}
