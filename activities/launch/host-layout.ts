// Where a compute host keeps its state, Nova's instances_path layout: `_base/` holds the
// image cache (one base per image, named by sha1 of the image id), `instances/<id>/`
// holds each instance's disks and QEMU's run files (pidfile, QMP socket, console log).
import { createHash } from 'node:crypto';
import { join, resolve } from 'node:path';
import { instanceFiles } from '../../hypervisor/instance-files.js';
import { maxUnixSocketPathBytes } from '../../runtime/unix-socket.js';

export interface BaseFiles {
  /** sha1 hex of the image id: the base's file name. */
  name: string;
  file: string;
  /** The download in progress (or interrupted, to resume). */
  part: string;
  /** A hard link to the image store's file while it is verified, before it becomes the base. */
  linked: string;
  /** Cross-process lock held while the base is verified, downloaded or pruned. */
  lock: string;
  /** JSON sidecar: image id, format, verified checksum and stat fingerprint, last use. */
  info: string;
}

export interface InstancePaths {
  dir: string;
  /** vda: qcow2 overlay of a base. */
  rootDisk: string;
  /** vdb: the flavor's ephemeral disk. */
  ephemeralDisk: string;
  /** LUKS passphrase of the ephemeral disk (destroyed with it). */
  ephemeralKey: string;
  /** Written before the base is ensured, so pruning never removes a base a launch is about to use. */
  cacheUse: string;
}

export interface HostLayout {
  hostDir: string;
  baseDir: string;
  instancesDir: string;
  base(imageId: string): BaseFiles;
  baseFiles(name: string): BaseFiles;
  instance(instanceId: string): InstancePaths;
}

const longestInstanceId = '00000000-0000-0000-0000-000000000000';

export class HostDirectoryTooLongError extends Error {
  override name = 'HostDirectoryTooLongError';
}

export const BASE_NAME = /^[0-9a-f]{40}$/;

export function baseName(imageId: string): string {
  return createHash('sha1').update(imageId).digest('hex');
}

export function hostLayout(hostDirectory: string): HostLayout {
  const hostDir = resolve(hostDirectory);
  const baseDir = join(hostDir, '_base');
  const instancesDir = join(hostDir, 'instances');
  const baseFiles = (name: string): BaseFiles => {
    const file = join(baseDir, name);
    return { name, file, part: `${file}.part`, linked: `${file}.linked`, lock: `${file}.lock`, info: `${file}.info` };
  };
  const instance = (instanceId: string): InstancePaths => {
    const dir = join(instancesDir, instanceId);
    return {
      dir,
      rootDisk: join(dir, 'disk'),
      ephemeralDisk: join(dir, 'disk.eph0'),
      ephemeralKey: join(dir, 'disk.eph0.key'),
      cacheUse: join(dir, 'image-cache-use.json'),
    };
  };
  // A QMP socket lives in every instance directory: refuse a host directory that
  // would make it too long now, not at the first launch.
  const socketBytes = Buffer.byteLength(instanceFiles(instance(longestInstanceId).dir).qmpSocket);
  if (socketBytes > maxUnixSocketPathBytes) {
    throw new HostDirectoryTooLongError(
      `host directory ${hostDir} is too long: an instance's QMP socket path would take ${socketBytes} bytes (at most ${maxUnixSocketPathBytes}); ` +
        'set a shorter dataDir (STRATA_DATA_DIR) or compute.host',
    );
  }
  return { hostDir, baseDir, instancesDir, base: (imageId) => baseFiles(baseName(imageId)), baseFiles, instance };
}
