// `imageRef` in a volume create: the image the caller can see, active, in a format the
// storage node converts (raw, qcow2), and no larger than the volume — in Cinder's words.
import type { FastifyRequest } from 'fastify';
import { imageSnapshotOf } from '../../application/instances/launch-request.js';
import type { ImageSnapshot } from '../../domain/compute/instance.js';
import { DomainError } from '../../domain/decider.js';
import type { ImageQueries } from '../../projections/image-queries.js';
import { findVisibleImage } from '../image/access.js';

const GiB = 1024 ** 3;
const CONVERTIBLE_FORMATS = ['raw', 'qcow2'];

export function volumeSourceImage(request: FastifyRequest, images: ImageQueries, imageRef: string, sizeGb: number): ImageSnapshot {
  let found;
  try {
    found = findVisibleImage(request, images, imageRef);
  } catch (error) {
    if (error instanceof DomainError && error.kind === 'not_found') throw new DomainError('invalid', `Invalid image identifier or unable to access requested image. (imageRef ${imageRef})`);
    throw error;
  }
  const image = imageSnapshotOf(found.image);
  if (!CONVERTIBLE_FORMATS.includes(image.diskFormat)) throw new DomainError('invalid', `Image ${image.id} has disk format ${image.diskFormat}; strata makes volumes from raw and qcow2 images.`);
  const virtualBytes = found.image.virtual_size ?? image.size;
  const imageGb = Math.ceil(virtualBytes / GiB);
  if (imageGb > sizeGb) throw new DomainError('invalid', `Image virtual size is ${imageGb}GB and doesn't fit in a volume of size ${sizeGb}GB.`);
  if (image.minDiskGb > sizeGb) throw new DomainError('invalid', `Volume size ${sizeGb}GB cannot be smaller than the image minDisk size ${image.minDiskGb}GB.`);
  return image;
}
