// An instance's disks on this host. vda is a qcow2 overlay of the cached base (the base
// is never written); vdb, when the flavor has ephemeral space, is a blank qcow2 the
// guest formats itself — optionally LUKS-encrypted under a per-instance random key.
// Why blank rather than pre-formatted as Nova does: a host cannot write a file system
// into a LUKS qcow2 without running QEMU, and a blank qcow2 holds (and costs to wipe)
// only what the guest wrote. Each disk is created under a temporary name and renamed, so
// a disk found at its final path after a crash is complete and can be reused.
import { randomBytes } from 'node:crypto';
import { rename, rm } from 'node:fs/promises';
import type { Flavor } from '../../domain/compute/flavor.js';
import type { ImageSnapshot } from '../../domain/compute/instance.js';
import { createDisk, createOverlay, info } from '../../hypervisor/qemu-img.js';
import { writeSecretFile } from '../../hypervisor/secret-file.js';
import type { CachedImage } from './contract.js';
import { LaunchRejectedError } from './failures.js';
import type { InstancePaths } from './host-layout.js';
import { pathExists } from './path-exists.js';

const GiB = 1024 ** 3;

/** Creates path through a temporary file renamed into place. */
async function createAtomically(path: string, create: (temporary: string) => Promise<void>): Promise<void> {
  const temporary = `${path}.creating`;
  await rm(temporary, { force: true });
  await create(temporary);
  await rename(temporary, path);
}

/** Root disk size: the flavor's, or the image's own size for a flavor with disk 0 (Nova's rule). */
export function rootDiskBytes(flavor: Flavor, image: ImageSnapshot, base: CachedImage): number {
  if (flavor.diskGb === 0) return base.virtualSizeBytes;
  const flavorBytes = flavor.diskGb * GiB;
  if (base.virtualSizeBytes > flavorBytes) {
    throw new LaunchRejectedError(
      `Flavor's disk is too small for requested image. Flavor disk is ${flavorBytes} bytes, image is ${base.virtualSizeBytes} bytes.`,
    );
  }
  if (image.minDiskGb > flavor.diskGb) {
    throw new LaunchRejectedError(`Flavor's disk is smaller than the minimum size specified in image metadata. Flavor disk is ${flavor.diskGb} GB, minimum is ${image.minDiskGb} GB.`);
  }
  return flavorBytes;
}

export interface RootDisk {
  path: string;
  sizeBytes: number;
  reused: boolean;
}

export async function createRootDisk(paths: InstancePaths, flavor: Flavor, image: ImageSnapshot, base: CachedImage): Promise<RootDisk> {
  const sizeBytes = rootDiskBytes(flavor, image, base);
  if (await pathExists(paths.rootDisk)) {
    const current = await info(paths.rootDisk, { format: 'qcow2', forceShare: true }).catch(() => undefined);
    if (current?.backingFilename === base.path && current.backingFormat === base.format) return { path: paths.rootDisk, sizeBytes, reused: true };
    await rm(paths.rootDisk, { force: true });
  }
  await createAtomically(paths.rootDisk, (temporary) => createOverlay(base.path, base.format, temporary, sizeBytes));
  return { path: paths.rootDisk, sizeBytes, reused: false };
}

export interface EphemeralDisk {
  path: string;
  sizeGb: number;
  encrypted: boolean;
}

/** True when an earlier attempt left a complete disk of the wanted kind. */
async function reusableEphemeral(paths: InstancePaths, encrypted: boolean): Promise<boolean> {
  if (!(await pathExists(paths.ephemeralDisk))) return false;
  const current = await info(paths.ephemeralDisk, { format: 'qcow2', forceShare: true }).catch(() => undefined);
  return current?.encrypted === encrypted && (!encrypted || (await pathExists(paths.ephemeralKey)));
}

export async function createEphemeralDisk(paths: InstancePaths, flavor: Flavor, { encrypted }: { encrypted: boolean }): Promise<EphemeralDisk | null> {
  if (flavor.ephemeralGb === 0) return null;
  const disk = { path: paths.ephemeralDisk, sizeGb: flavor.ephemeralGb, encrypted };
  if (await reusableEphemeral(paths, encrypted)) return disk;
  await Promise.all([rm(paths.ephemeralDisk, { force: true }), rm(paths.ephemeralKey, { force: true })]);
  // A random passphrase, as text: QEMU refuses secrets that are not UTF-8.
  if (encrypted) await writeSecretFile(paths.ephemeralKey, randomBytes(32).toString('base64'));
  await createAtomically(paths.ephemeralDisk, (temporary) =>
    createDisk(temporary, flavor.ephemeralGb * GiB, { format: 'qcow2', ...(encrypted ? { luksKeyFile: paths.ephemeralKey } : {}) }),
  );
  return disk;
}
