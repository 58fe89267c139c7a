// A volume created from an image (`openstack volume create --image X --size N`): the
// node reads the image's bytes where it can (the local image store, else Glance), writes
// them as raw blocks — converting from the image's disk format — and grows the file to
// the volume's size. The data lands in `<id>.raw.part` and is renamed into place only when
// whole, so a retried create either finds the finished volume or starts over.
import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat, truncate } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import type { ImageSnapshot } from '../../domain/compute/instance.js';
import type { DiskFormat } from '../../hypervisor/qemu-img.js';
import { convert } from '../../hypervisor/qemu-img.js';
import type { ImageSource } from '../launch/image-source.js';
import { volumeFilePath } from './volume-files.js';

const GiB = 1024 ** 3;

export async function fillVolumeFromImage(volumesDir: string, volumeId: string, sizeGb: number, image: ImageSnapshot, source: ImageSource): Promise<void> {
  const path = volumeFilePath(volumesDir, volumeId);
  const done = await stat(path).catch(() => undefined);
  if (done && done.size === sizeGb * GiB) return;
  await mkdir(volumesDir, { recursive: true, mode: 0o700 });
  const download = `${path}.image`;
  const part = `${path}.part`;
  try {
    const bytes = await source.open(image.id, 0);
    if (!bytes) throw new Error(`image ${image.id} has no data this storage node can read`);
    await pipeline(bytes.stream, createWriteStream(download, { mode: 0o600 }));
    await convert({ source: download, sourceFormat: image.diskFormat as DiskFormat, target: part, targetFormat: 'raw' });
    if ((await stat(part)).size > sizeGb * GiB) throw new Error(`image ${image.id} does not fit in a volume of ${sizeGb} GB`);
    await truncate(part, sizeGb * GiB);
    await rename(part, path);
  } finally {
    await rm(download, { force: true });
    await rm(part, { force: true });
  }
}
