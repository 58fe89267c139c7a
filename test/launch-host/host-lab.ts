// A test file's compute host: a scratch host directory under /tmp (short enough for QMP
// sockets), a real SQLite event store, the real host activities run in Temporal's
// activity context (MockActivityEnvironment: heartbeats and their details, no mock of
// any part), instance requests recorded on their streams, and hooks that stop every
// QEMU the file started.
import { ApplicationFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger } from '@temporalio/worker';
import { execa } from 'execa';
import { createHash, randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { createHostLaunchActivities } from '../../activities/launch/host.js';
import type { HostLaunchDependencies } from '../../activities/launch/host.js';
import type { LaunchStep } from '../../activities/launch/contract.js';
import type { HostLayout } from '../../activities/launch/host-layout.js';
import { hostLayout } from '../../activities/launch/host-layout.js';
import type { ImageCacheOptions } from '../../activities/launch/image-cache.js';
import { ImageCache } from '../../activities/launch/image-cache.js';
import type { ImageSource } from '../../activities/launch/image-source.js';
import { handleCommand } from '../../application/handle-command.js';
import type { Flavor } from '../../domain/compute/flavor.js';
import type { ImageSnapshot, InstanceRequest } from '../../domain/compute/instance.js';
import { instanceDecider, instanceStream } from '../../domain/compute/instance.js';
import { strataEventSchemas } from '../../domain/event-registry.js';
import type { EventStore } from '../../eventstore/port.js';
import { openSqliteEventStore } from '../../eventstore/sqlite/index.js';
import { resolveAccelerator } from '../../hypervisor/accelerator.js';
import { defaultOvmfPaths } from '../../hypervisor/firmware.js';
import { adoptVm, stopVm } from '../../hypervisor/vm-process.js';

const repoRoot = resolve(fileURLToPath(import.meta.url), '../../..');

export const guestFiles = {
  biosRaw: join(repoRoot, 'guests/build/bios.raw'),
  biosQcow2: join(repoRoot, 'guests/build/bios.qcow2'),
  uefiRaw: join(repoRoot, 'guests/build/uefi.raw'),
};

export const tinyFlavor: Flavor = { id: '1', name: 'm1.tiny', vcpus: 1, ramMb: 64, diskGb: 1, ephemeralGb: 0, swapMb: 0, isPublic: true, description: null };

export async function digestOf(path: string, algorithm: 'sha256' | 'sha512' | 'md5'): Promise<string> {
  const hash = createHash(algorithm);
  for await (const chunk of createReadStream(path) as AsyncIterable<Buffer>) hash.update(chunk);
  return hash.digest('hex');
}

/** The snapshot of an image whose data is the file at path, as the API would record it. */
export async function imageOf(path: string, diskFormat: string, overrides: Partial<ImageSnapshot> = {}): Promise<ImageSnapshot> {
  return {
    id: randomUUID(),
    name: 'test-image',
    diskFormat,
    size: (await readFile(path)).length,
    osHashValue: await digestOf(path, 'sha512'),
    checksum: await digestOf(path, 'md5'),
    minDiskGb: 0,
    minRamMb: 0,
    properties: {},
    ...overrides,
  };
}

/** Serves images from files on this machine, and remembers every request (image, offset). */
export function fileImageSource(files: Map<string, string>) {
  const opened: Array<{ imageId: string; offset: number }> = [];
  const source: ImageSource = {
    async open(imageId, offset) {
      const path = files.get(imageId);
      if (!path) return null;
      opened.push({ imageId, offset });
      return { stream: createReadStream(path, { start: offset }), offset, origin: path };
    },
  };
  return { source, opened };
}

/** Activity failures are what many tests expect: keep them out of the output. */
export const quietLogger = new DefaultLogger('ERROR');

/** The ApplicationFailure an activity failed with (what the workflow sees). */
export async function failureOf(promise: Promise<unknown>): Promise<ApplicationFailure> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  if (!(error instanceof ApplicationFailure)) throw new Error(`expected an ApplicationFailure, got ${String(error)}`);
  return error;
}

export interface ActivityRun<T> {
  result: T;
  heartbeats: unknown[];
}

/** Runs fn as an activity (with the given heartbeat details of an earlier attempt) and collects its heartbeats. */
export async function runActivity<Args extends unknown[], T>(fn: (...args: Args) => Promise<T>, args: Args, info: { heartbeatDetails?: unknown } = {}): Promise<ActivityRun<T>> {
  const environment = new MockActivityEnvironment(info, { logger: quietLogger });
  const heartbeats: unknown[] = [];
  environment.on('heartbeat', (details: unknown) => heartbeats.push(details));
  return { result: await environment.run(fn, ...args), heartbeats };
}

export interface HostOptions {
  source: ImageSource;
  /** Another event store than the lab's (e.g. the one a scheduler test cluster records to). */
  events?: EventStore;
  cache?: Partial<Omit<ImageCacheOptions, 'layout' | 'source'>>;
  host?: Partial<Omit<HostLaunchDependencies, 'cache' | 'events'>>;
}

export function useHostLab() {
  let scratch = '';
  let events: EventStore | undefined;
  const layouts: HostLayout[] = [];
  beforeAll(async () => {
    await execa('bash', [join(repoRoot, 'scripts/build-guests.sh')], { timeout: 120_000 });
    scratch = await mkdtemp(join(tmpdir(), 'strata-lh-'));
    events = openSqliteEventStore({ path: lab.eventsPath(), schemas: strataEventSchemas() });
  });
  afterEach(async () => {
    for (const layout of layouts) {
      const instances = await readdir(layout.instancesDir).catch(() => [] as string[]);
      for (const id of instances) {
        const vm = await adoptVm(layout.instance(id).dir);
        if (vm) await stopVm(vm);
      }
    }
  });
  afterAll(async () => {
    await events?.close();
    await rm(scratch, { recursive: true, force: true });
  });

  const lab = {
    get events(): EventStore {
      if (!events) throw new Error('useHostLab: used before beforeAll');
      return events;
    },

    path: (name: string) => join(scratch, name),

    /** The SQLite file behind `events`, for a second process to open. */
    eventsPath: () => join(scratch, 'events.db'),

    /** A fresh host directory with its own cache and activities (a second worker process shares a layout via `layout`). */
    host(options: HostOptions & { layout?: HostLayout }) {
      const layout = options.layout ?? hostLayout(join(scratch, `h-${randomUUID().slice(0, 8)}`));
      layouts.push(layout);
      const cache = new ImageCache({ layout, source: options.source, ...options.cache });
      const activities = createHostLaunchActivities({
        host: 'lab-host',
        events: options.events ?? lab.events,
        cache,
        vm: { accelerator: resolveAccelerator('auto'), ovmf: defaultOvmfPaths },
        bootTimeoutSeconds: 20,
        ephemeral: { clear: 'zero', encrypt: false },
        ...options.host,
      });
      return { layout, cache, activities };
    },

    /** Records InstanceRequested for a new instance of image with flavor. */
    async request(image: ImageSnapshot, flavor: Partial<Flavor> = {}): Promise<InstanceRequest> {
      const request: InstanceRequest = {
        instanceId: randomUUID(),
        name: 'lab-instance',
        projectId: 'project',
        userId: 'user',
        flavor: { ...tinyFlavor, ...flavor },
        image,
        availabilityZone: null,
        forcedHost: null,
        groupId: null,
        metadata: {},
        createdAt: new Date().toISOString(),
      };
      const metadata = { actor: null, requestId: null, correlationId: null, causationId: null, workflowId: null, runId: null, activity: null, timestamp: request.createdAt };
      await handleCommand(lab.events, instanceDecider, instanceStream(request.instanceId), { kind: 'request', request }, { metadata });
      return request;
    },

    step(instanceId: string, name: string, attempt = 1): LaunchStep {
      return { instanceId, attempt, key: `launch-${instanceId}/attempt-${attempt}/${name}` };
    },

    async eventTypes(instanceId: string): Promise<string[]> {
      return (await lab.events.readStream(instanceStream(instanceId))).map((event) => event.type);
    },
  };
  return lab;
}
