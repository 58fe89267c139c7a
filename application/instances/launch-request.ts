// What a server create asks for, checked as Nova's compute API checks it before anything
// is recorded: the zone (with an admin's forced `AZ:HOST`), the image's state and its
// minimums against the flavor; then the InstanceRequest the launch carries. Pure.
import type { Flavor } from '../../domain/compute/flavor.js';
import type { ImageSnapshot, InstanceRequest } from '../../domain/compute/instance.js';
import { bootsFromVolume } from '../../domain/compute/boot-source.js';
import { DomainError } from '../../domain/decider.js';
import type { ImageRecordView } from '../../projections/image-queries.js';

const GIB = 1024 ** 3;

export interface ZoneRequest {
  zone: string | null;
  forcedHost: string | null;
}

/**
 * Nova's legacy `AZ:HOST`, `AZ:HOST:NODE` and `AZ::NODE` forms. Each strata host is its
 * own node, so a node names the host and must agree with a host given beside it.
 */
export function parseAvailabilityZone(text: string | null): ZoneRequest {
  if (text === null) return { zone: null, forcedHost: null };
  const parts = text.split(':');
  if (parts.length > 3) throw new DomainError('invalid', 'Invalid input received: Unable to parse availability_zone');
  const [zone = '', host = '', node = ''] = parts;
  if (host !== '' && node !== '' && host !== node) {
    throw new DomainError('invalid', `Invalid input received: compute host ${host} has no node ${node} (each host is its own node)`);
  }
  const forced = host || node;
  return { zone: zone === '' ? null : zone, forcedHost: forced === '' ? null : forced };
}

/** Nova refuses a zone in which no enabled compute host is. */
export function checkZoneAvailable(zone: string, availableZones: readonly string[]): void {
  if (!availableZones.includes(zone)) throw new DomainError('invalid', 'The requested availability zone is not available');
}

/** What the launch needs of the image, copied so a later image change cannot alter a running launch. */
export function imageSnapshotOf(image: ImageRecordView): ImageSnapshot {
  if (image.status !== 'active') throw new DomainError('invalid', `Image ${image.id} is not active.`);
  if (image.disk_format === null || image.size === null) throw new DomainError('invalid', `Image ${image.id} has no data.`);
  return {
    id: image.id,
    name: image.name,
    diskFormat: image.disk_format,
    size: image.size,
    osHashValue: image.os_hash_value,
    checksum: image.checksum,
    minDiskGb: image.min_disk,
    minRamMb: image.min_ram,
    properties: image.properties,
  };
}

/** Nova's _check_requested_image: a root disk of 0 GB means "the image's size" and is not checked. */
export function checkImageFitsFlavor(image: ImageSnapshot, flavor: Flavor): void {
  if (image.minRamMb > 0 && flavor.ramMb < image.minRamMb) throw new DomainError('invalid', "Flavor's memory is too small for requested image.");
  const rootBytes = flavor.diskGb * GIB;
  if (rootBytes === 0) return;
  if (image.size > rootBytes) {
    throw new DomainError('invalid', `Flavor's disk is too small for requested image. Flavor disk is ${rootBytes} bytes, image is ${image.size} bytes.`);
  }
  const minDiskBytes = image.minDiskGb * GIB;
  if (minDiskBytes > rootBytes) {
    throw new DomainError(
      'invalid',
      `Flavor's disk is too small for requested image. Flavor disk is ${rootBytes} bytes, minimum size is ${minDiskBytes} bytes (image min_disk).`,
    );
  }
}

export interface LaunchChoices {
  instanceId: string;
  name: string;
  projectId: string;
  userId: string;
  flavor: Flavor;
  image: ImageSnapshot;
  zone: ZoneRequest;
  groupId: string | null;
  metadata: Record<string, string>;
  createdAt: string;
  /** Volumes attached at launch; one on vda boots the server (the flavor's root disk is then unused). */
  volumes?: InstanceRequest['volumes'];
}

export function instanceRequestOf(choices: LaunchChoices): InstanceRequest {
  const { instanceId, name, projectId, userId, flavor, image, zone, groupId, metadata, createdAt, volumes = [] } = choices;
  if (!bootsFromVolume({ volumes })) checkImageFitsFlavor(image, flavor);
  const request = { instanceId, name, projectId, userId, flavor, image, availabilityZone: zone.zone, forcedHost: zone.forcedHost, groupId, metadata, createdAt };
  return volumes.length > 0 ? { ...request, volumes } : request;
}
