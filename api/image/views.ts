// Glance v2 response bodies, as glanceclient and openstacksdk parse them.
import { z } from 'zod';
import type { ImageRecordView, MemberRow } from '../../projections/image-queries.js';
import { shape } from '../responses.js';

/** The documented shapes of the bodies below (other keys pass through). */
export const imageResponse = shape({ id: z.string(), status: z.string(), name: z.string().nullable() });
export const memberResponse = shape({ member_id: z.string(), image_id: z.string(), status: z.string() });

/** Glance shows times to the second, in UTC, with a Z. */
function glanceTime(iso: string): string {
  return `${iso.slice(0, 19)}Z`;
}

export interface ImageViewOptions {
  /** Extra properties the caller may read (property protections); all when absent. */
  readable?: (properties: Record<string, string>) => Record<string, string>;
  directUrl?: (location: string) => string;
}

export function imageView(image: ImageRecordView, options: ImageViewOptions = {}) {
  const properties = options.readable ? options.readable(image.properties) : image.properties;
  return {
    ...properties,
    id: image.id,
    name: image.name,
    status: image.status,
    visibility: image.visibility,
    protected: image.protected === 1,
    os_hidden: image.os_hidden === 1,
    checksum: image.checksum,
    os_hash_algo: image.os_hash_algo,
    os_hash_value: image.os_hash_value,
    owner: image.owner,
    size: image.size,
    virtual_size: image.virtual_size,
    min_ram: image.min_ram,
    min_disk: image.min_disk,
    container_format: image.container_format,
    disk_format: image.disk_format,
    created_at: glanceTime(image.created_at),
    updated_at: glanceTime(image.updated_at),
    tags: image.tags,
    self: `/v2/images/${image.id}`,
    file: `/v2/images/${image.id}/file`,
    schema: '/v2/schemas/image',
    ...(options.directUrl && image.location ? { direct_url: options.directUrl(image.location) } : {}),
  };
}

export function memberView(member: MemberRow) {
  return {
    member_id: member.member_id,
    image_id: member.image_id,
    status: member.status,
    created_at: glanceTime(member.created_at),
    updated_at: glanceTime(member.updated_at),
    schema: '/v2/schemas/member',
  };
}
