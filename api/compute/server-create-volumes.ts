// `block_device_mapping_v2` in a server create, as strata honours it: existing volumes
// only (source and destination `volume`). The one with boot_index 0 becomes vda — the
// server boots from it (a volume made from an image) and `imageRef` is "" — the others
// vdc, vdd … (vdb is the ephemeral disk's). Volumes are kept when the server is deleted,
// so delete_on_termination must be false. What `openstack server create --volume` and
// `--block-device` send is accepted; the checks answer in Nova's words.
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { ImageSnapshot, InstanceRequest } from '../../domain/compute/instance.js';
import { DomainError } from '../../domain/decider.js';
import type { VolumeQueries } from '../../projections/volume-queries.js';

const ATTACH_VOLUME = 'os_compute_api:servers:create:attach_volume';
const DATA_DEVICES = [...'cdefghijklmnopqrstuvwxyz'].map((letter) => `vd${letter}`);

export const blockDeviceMappingV2 = z.array(
  z
    .object({
      source_type: z.enum(['volume', 'image', 'snapshot', 'blank']).optional(),
      destination_type: z.enum(['volume', 'local']).optional(),
      uuid: z.string().max(255).optional(),
      boot_index: z.union([z.number().int(), z.string().regex(/^-?[0-9]+$/), z.null()]).optional(),
      device_name: z.string().max(255).nullable().optional(),
      delete_on_termination: z.union([z.boolean(), z.enum(['true', 'false', 'True', 'False', '0', '1'])]).optional(),
      volume_size: z.union([z.number().int(), z.string(), z.null()]).optional(),
      tag: z.string().max(60).optional(),
    })
    .loose(),
);
type Mapping = z.infer<typeof blockDeviceMappingV2>[number];

export interface RequestedVolumes {
  volumes: NonNullable<InstanceRequest['volumes']>;
  /** The image the boot volume was made from: the launch's image (its properties, its boot marker). */
  bootImage: ImageSnapshot | null;
}

function invalidMapping(why: string): DomainError {
  return new DomainError('invalid', `Block Device Mapping is Invalid: ${why}`);
}

function isTrue(value: Mapping['delete_on_termination']): boolean {
  return value === true || (typeof value === 'string' && ['true', 'True', '1'].includes(value));
}

/** The image mapping the CLI adds for `--image … --block-device`: the image boots as always. */
function isImageBoot(mapping: Mapping, imageRef: string): boolean {
  return mapping.source_type === 'image' && (mapping.destination_type ?? 'local') === 'local' && mapping.uuid === imageRef && imageRef !== '';
}

export function requestedVolumes(request: FastifyRequest, mappings: Mapping[] | undefined, imageRef: string, projectId: string, volumes: VolumeQueries): RequestedVolumes {
  const chosen: RequestedVolumes = { volumes: [], bootImage: null };
  const volumeMappings = (mappings ?? []).filter((mapping) => !isImageBoot(mapping, imageRef));
  if (volumeMappings.length === 0) return chosen;
  if (!request.allowed(ATTACH_VOLUME, { project_id: projectId, user_id: request.caller.userId })) throw new DomainError('forbidden', `Policy doesn't allow ${ATTACH_VOLUME} to be performed.`);
  const taken = new Set<string>();
  for (const mapping of volumeMappings) {
    if ((mapping.source_type ?? 'volume') !== 'volume' || (mapping.destination_type ?? 'volume') !== 'volume') {
      throw invalidMapping(`strata attaches existing volumes only (source_type and destination_type volume), not ${mapping.source_type ?? '?'} to ${mapping.destination_type ?? '?'}.`);
    }
    if (isTrue(mapping.delete_on_termination)) throw invalidMapping('strata keeps volumes when a server is deleted: delete_on_termination must be false.');
    const volumeId = mapping.uuid ?? '';
    const record = volumes.volume(volumeId);
    if (!record || record.state.request.projectId !== projectId) throw invalidMapping(`failed to get volume ${volumeId}.`);
    if (record.state.status !== 'available') throw new DomainError('invalid', `Invalid volume: volume '${volumeId}' status must be 'available'. Currently in '${record.state.status}'`);
    if (chosen.volumes.some((known) => known.volumeId === volumeId)) throw invalidMapping(`volume ${volumeId} is mapped twice.`);
    const boots = Number(mapping.boot_index ?? -1) === 0;
    if (boots) {
      if (chosen.bootImage) throw invalidMapping('Boot sequence for the instance and image/block device mapping combination is not valid.');
      if (!record.state.request.image) throw invalidMapping(`volume ${volumeId} is not bootable (it was not created from an image).`);
      chosen.bootImage = record.state.request.image;
    }
    const asked = mapping.device_name?.replace(/^\/dev\//, '');
    const device = boots ? 'vda' : asked && DATA_DEVICES.includes(asked) ? asked : DATA_DEVICES.find((name) => !taken.has(name));
    if (!device || taken.has(device)) throw invalidMapping(`device ${mapping.device_name ?? device ?? ''} is already in use.`);
    taken.add(device);
    chosen.volumes.push({ volumeId, device, node: record.state.request.node });
  }
  return chosen;
}
