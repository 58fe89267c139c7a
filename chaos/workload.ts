// The load the faults land on: a fixed number of concurrent lanes, each picking the next
// operation from a weighted mix until told to stop. Every operation is recorded, so the
// invariants can look each resource up again after quiesce.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ChaosClient } from './client.js';
import { attachVolume, snapshotServer } from './compound-operations.js';
import { createAndDeleteVolume, launch, uploadImage, type OperationKind, type OperationRecord } from './operations.js';

const guestDir = fileURLToPath(new URL('../guests/build/', import.meta.url));
/** What the BIOS test guest prints once booted (guests/README.md): launches wait for it. */
const BIOS_GUEST_DONE = 'STRATA-GUEST-DONE';

/** Operations beyond launch/delete/upload/volumes, for features that may not exist yet. */
export const extraOperations = ['snapshot', 'attach'] as const;
export type ExtraOperation = (typeof extraOperations)[number];

export interface WorkloadOptions {
  /** Lanes that launch servers (each operation boots a guest). */
  vmLanes: number;
  /** Lanes that upload images and create volumes (light, so more of them). */
  dataLanes: number;
  /** Instances the workload may leave running (they keep the host-claim invariant meaningful). */
  maxLiveInstances: number;
  maxImageBytes: number;
  operationTimeoutMs: number;
  extras: readonly ExtraOperation[];
}

export interface Fixtures {
  imageId: string;
  flavorId: string;
}

/** The image every launch boots and a flavor small enough for many guests on two hosts. */
export async function prepareFixtures(client: ChaosClient): Promise<Fixtures> {
  const flavor = await client.call('POST', '/compute/v2.1/flavors', { body: { flavor: { name: 'chaos.nano', ram: 128, vcpus: 1, disk: 1 } } });
  if (flavor.status !== 200) throw new Error(`flavor create: ${flavor.status} ${flavor.text}`);
  const body = { name: 'chaos-guest', disk_format: 'raw', container_format: 'bare', visibility: 'public', strata_boot_marker: BIOS_GUEST_DONE };
  const image = await client.call('POST', '/image/v2/images', { body });
  if (image.status !== 201) throw new Error(`image create: ${image.status} ${image.text}`);
  const imageId = image.json<{ id: string }>().id;
  const upload = await client.call('PUT', `/image/v2/images/${imageId}/file`, { bytes: readFileSync(join(guestDir, 'bios.raw')) });
  if (upload.status !== 204) throw new Error(`guest upload: ${upload.status} ${upload.text}`);
  return { imageId, flavorId: flavor.json<{ flavor: { id: string } }>().flavor.id };
}

type Mix = Array<{ kind: OperationKind; weight: number }>;

function vmMix(extras: readonly ExtraOperation[]): Mix {
  return [
    { kind: 'launch-delete', weight: 4 },
    { kind: 'launch', weight: 1 },
    ...(extras.includes('snapshot') ? [{ kind: 'snapshot' as const, weight: 2 }] : []),
    ...(extras.includes('attach') ? [{ kind: 'volume-attach' as const, weight: 2 }] : []),
  ];
}

const dataMix: Mix = [
  { kind: 'image-upload', weight: 2 },
  { kind: 'image-upload-delete', weight: 1 },
  { kind: 'volume-create-delete', weight: 2 },
];

function pick(mix: Mix): OperationKind {
  let roll = Math.random() * mix.reduce((sum, { weight }) => sum + weight, 0);
  for (const { kind, weight } of mix) {
    roll -= weight;
    if (roll < 0) return kind;
  }
  return mix[0]?.kind ?? 'launch-delete';
}

export interface Workload {
  records: OperationRecord[];
  /** Operations that threw (the record keeps what they got to); never a violation by itself. */
  errors: string[];
  /** Resolves once every lane finished its current operation; status polls end after `graceMs`. */
  stop(graceMs: number): Promise<void>;
}

export function startWorkload(client: ChaosClient, fixtures: Fixtures, options: WorkloadOptions): Workload {
  const records: OperationRecord[] = [];
  const errors: string[] = [];
  let stopping = false;
  let live = 0;
  let counter = 0;
  const spec = { ...fixtures, timeoutMs: options.operationTimeoutMs };
  const run = async (record: OperationRecord) => {
    switch (record.kind) {
      case 'launch':
      case 'launch-delete':
        return launch(client, record, spec, record.kind === 'launch-delete');
      case 'snapshot':
        return snapshotServer(client, record, spec);
      case 'volume-attach':
        return attachVolume(client, record, spec);
      case 'image-upload':
      case 'image-upload-delete':
        return uploadImage(client, record, options.maxImageBytes, record.kind === 'image-upload-delete');
      case 'volume-create-delete':
        return createAndDeleteVolume(client, record, options.operationTimeoutMs);
    }
  };
  const lane = async (mix: Mix) => {
    while (!stopping) {
      const allowed = mix.filter(({ kind }) => kind !== 'launch' || live < options.maxLiveInstances);
      const kind = pick(allowed);
      if (kind === 'launch') live += 1;
      counter += 1;
      const record: OperationRecord = { kind, name: `chaos-${kind}-${counter}`, outcome: 'started' };
      records.push(record);
      const started = performance.now();
      try {
        await run(record);
      } catch (error) {
        record.outcome = 'client-error';
        errors.push(`${record.name}: ${error instanceof Error ? error.message : String(error)}`);
      }
      record.seconds = (performance.now() - started) / 1000;
    }
  };
  const lanes = [
    ...Array.from({ length: options.vmLanes }, () => lane(vmMix(options.extras))),
    ...Array.from({ length: options.dataLanes }, () => lane(dataMix)),
  ];
  return {
    records,
    errors,
    async stop(graceMs) {
      stopping = true;
      client.stopPollingAt = Date.now() + graceMs;
      await Promise.all(lanes);
    },
  };
}
