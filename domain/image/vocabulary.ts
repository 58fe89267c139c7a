// Glance v2's closed vocabularies: statuses, visibilities, formats, member statuses.
export const IMAGE_STATUSES = ['queued', 'saving', 'active', 'killed', 'deleted', 'uploading', 'importing', 'pending_delete', 'deactivated'] as const;
export type ImageStatus = (typeof IMAGE_STATUSES)[number];

export const VISIBILITIES = ['public', 'private', 'shared', 'community'] as const;
export type Visibility = (typeof VISIBILITIES)[number];

export const CONTAINER_FORMATS = ['ami', 'ari', 'aki', 'bare', 'ovf', 'ova', 'docker', 'compressed'] as const;
export type ContainerFormat = (typeof CONTAINER_FORMATS)[number];

export const DISK_FORMATS = ['ami', 'ari', 'aki', 'vhd', 'vhdx', 'vmdk', 'raw', 'qcow2', 'vdi', 'iso', 'ploop'] as const;
export type DiskFormat = (typeof DISK_FORMATS)[number];

export const MEMBER_STATUSES = ['pending', 'accepted', 'rejected'] as const;
export type MemberStatus = (typeof MEMBER_STATUSES)[number];

export const IMPORT_METHODS = ['glance-direct', 'web-download'] as const;
export type ImportMethod = (typeof IMPORT_METHODS)[number];

/** Glance's default quotas (image_tag_quota, image_member_quota, image_property_quota). */
export const IMAGE_LIMITS = { tags: 128, members: 128, properties: 128, nameLength: 255, keyLength: 255, tagLength: 255 } as const;
