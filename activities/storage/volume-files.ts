// A node's volume files: `<volumesDir>/<id>.raw`, sparse, so a volume takes space only as
// it is written; and the CHAP credentials of each export, 0600 files beside them, which
// let the node restore its exports without the secret ever entering the event log.
import { createHash } from 'node:crypto';
import { mkdir, open, readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { ChapCredentials } from '../../storage/tgt/exports.js';
import { writeSecretFile } from '../../hypervisor/secret-file.js';

const GiB = 1024 ** 3;

export function volumeFilePath(volumesDir: string, volumeId: string): string {
  return join(volumesDir, `${volumeId}.raw`);
}

/** Creates the sparse file once; a retry finds it (of the same size) and does nothing. */
export async function createVolumeFile(volumesDir: string, volumeId: string, sizeGb: number): Promise<string> {
  await mkdir(volumesDir, { recursive: true, mode: 0o700 });
  const path = volumeFilePath(volumesDir, volumeId);
  const existing = await stat(path).catch(() => undefined);
  if (existing && existing.size === sizeGb * GiB) return path;
  const file = await open(path, 'w', 0o600);
  try {
    await file.truncate(sizeGb * GiB);
  } finally {
    await file.close();
  }
  return path;
}

export async function deleteVolumeFile(volumesDir: string, volumeId: string): Promise<void> {
  await rm(volumeFilePath(volumesDir, volumeId), { force: true });
  await rm(exportsDir(volumesDir, volumeId), { recursive: true, force: true });
}

function exportsDir(volumesDir: string, volumeId: string): string {
  return join(volumesDir, `${volumeId}.exports`);
}

/** Initiator names hold ':' and '.'; a digest makes a safe, fixed-length file name. */
function credentialsFile(volumesDir: string, volumeId: string, initiatorName: string): string {
  return join(exportsDir(volumesDir, volumeId), `${createHash('sha256').update(initiatorName).digest('hex').slice(0, 32)}.chap`);
}

export async function saveExportCredentials(volumesDir: string, volumeId: string, initiatorName: string, chap: ChapCredentials): Promise<void> {
  await mkdir(exportsDir(volumesDir, volumeId), { recursive: true, mode: 0o700 });
  await writeSecretFile(credentialsFile(volumesDir, volumeId, initiatorName), JSON.stringify(chap));
}

export async function loadExportCredentials(volumesDir: string, volumeId: string, initiatorName: string): Promise<ChapCredentials | undefined> {
  const text = await readFile(credentialsFile(volumesDir, volumeId, initiatorName), 'utf8').catch(() => undefined);
  return text === undefined ? undefined : (JSON.parse(text) as ChapCredentials);
}

export async function forgetExportCredentials(volumesDir: string, volumeId: string, initiatorName: string): Promise<void> {
  await rm(credentialsFile(volumesDir, volumeId, initiatorName), { force: true });
}
