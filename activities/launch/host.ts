// The launch steps a compute host runs on its own task queue (contract.ts
// HostLaunchActivities). Each step is safe to run again after a crash — it finds and
// reuses what an earlier attempt built — and records its event after its work
// succeeded, with an id derived from the step's key, so a retry never records twice.
import { Context } from '@temporalio/activity';
import { mkdir } from 'node:fs/promises';
import { recordInstanceStep } from '../../application/instances/record-step.js';
import type { InstanceEvent, InstanceRequest } from '../../domain/compute/instance.js';
import type { EventStore } from '../../eventstore/port.js';
import { waitForMarker } from '../../hypervisor/console.js';
import { instanceFiles } from '../../hypervisor/instance-files.js';
import type { VmHandle } from '../../hypervisor/vm-process.js';
import { adoptVm, isRunning, startVm } from '../../hypervisor/vm-process.js';
import { activityMetadata } from '../event-metadata.js';
import { heartbeating } from '../heartbeat.js';
import type { CachedImage, HostLaunchActivities, LaunchStep } from './contract.js';
import type { WipeMode } from './disk-wipe.js';
import { createEphemeralDisk, createRootDisk } from './disks.js';
import { asLaunchFailure } from './failures.js';
import type { InstancePaths } from './host-layout.js';
import { removeInstance } from './instance-removal.js';
import type { CacheProgress, ImageCache } from './image-cache.js';
import { SingleFlight } from './single-flight.js';
import type { VmSettings } from './vm.js';
import { vmSpecFor } from './vm.js';

export interface HostLaunchDependencies {
  host: string;
  events: EventStore;
  cache: ImageCache;
  vm: VmSettings;
  bootTimeoutSeconds: number;
  ephemeral: { clear: WipeMode; encrypt: boolean };
  /** Called once the instance's disks are wiped, just before its directory is removed (tests read the wiped blocks here). */
  beforeRemove?: (paths: InstancePaths) => Promise<void>;
}

/** Image property naming the line a guest prints on its serial console once booted. */
const BOOT_MARKER_PROPERTY = 'strata_boot_marker';

/**
 * An instance being destroyed is not shut down politely for long (Nova's delete is a
 * hard power-off too): one second for a guest that answers the ACPI button.
 */
const destroyGraceMs = 1_000;
const GiB = 1024 ** 3;

async function translatingFailures<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw asLaunchFailure(error);
  }
}

/** Durable bytes an earlier attempt of this download reported in its last heartbeat. */
function resumeLimitOf(details: unknown): number | undefined {
  const progress = details as Partial<CacheProgress> | undefined;
  return progress?.phase === 'downloading' && typeof progress.bytes === 'number' ? progress.bytes : undefined;
}

export function createHostLaunchActivities(deps: HostLaunchDependencies) {
  const { layout } = deps.cache;
  const vmStarts = new SingleFlight<VmHandle, never>();
  const record = (step: LaunchStep, event: Exclude<InstanceEvent, { type: 'InstanceRequested.v1' }>) =>
    recordInstanceStep(deps.events, step, event, activityMetadata());

  /** The running VM, or a new one; two starts of one instance in this process share one QEMU. */
  const runningVm = (request: InstanceRequest, paths: InstancePaths) =>
    vmStarts.run(request.instanceId, undefined, async () => (await adoptVm(paths.dir)) ?? startVm(await vmSpecFor(request, paths, deps.vm)));

  return {
    ensureImageCached: (step: LaunchStep, image: InstanceRequest['image']) =>
      translatingFailures(async () => {
        const context = Context.current();
        const resumeLimit = resumeLimitOf(context.info.heartbeatDetails);
        return deps.cache.ensure(image, {
          instanceId: step.instanceId,
          ...(resumeLimit === undefined ? {} : { resumeLimit }),
          // Captured: progress may be emitted from a download another launch started.
          onProgress: (progress) => context.heartbeat(progress),
        });
      }),

    createRootDisk: (step: LaunchStep, request: InstanceRequest, base: CachedImage) =>
      translatingFailures(async () => {
        const paths = layout.instance(step.instanceId);
        await mkdir(paths.dir, { recursive: true, mode: 0o700 });
        const disk = await createRootDisk(paths, request.flavor, request.image, base);
        await record(step, { type: 'RootDiskCreated.v1', data: { path: disk.path, sizeGb: Math.ceil(disk.sizeBytes / GiB), baseImage: base.path } });
        return { path: disk.path };
      }),

    createEphemeralDisk: (step: LaunchStep, request: InstanceRequest) =>
      translatingFailures(async () => {
        const paths = layout.instance(step.instanceId);
        await mkdir(paths.dir, { recursive: true, mode: 0o700 });
        const disk = await createEphemeralDisk(paths, request.flavor, { encrypted: deps.ephemeral.encrypt });
        if (!disk) return null;
        await record(step, { type: 'EphemeralDiskCreated.v1', data: disk });
        return { path: disk.path };
      }),

    startVm: (step: LaunchStep, request: InstanceRequest) =>
      translatingFailures(async () => {
        await record(step, { type: 'InstanceSpawning.v1', data: { host: deps.host } });
        const vm = await runningVm(request, layout.instance(step.instanceId));
        await record(step, { type: 'VmStarted.v1', data: { pid: vm.pid } });
        return { pid: vm.pid };
      }),

    waitForBoot: (step: LaunchStep, request: InstanceRequest) =>
      translatingFailures(async () => {
        const { dir } = layout.instance(step.instanceId);
        const vm = await adoptVm(dir);
        const marker = request.image.properties[BOOT_MARKER_PROPERTY];
        if (marker) {
          // A guest may print its marker and power off (the UEFI test guest does): the marker counts.
          // Heartbeats carry a delete's cancellation to this wait; the signal ends it.
          const activity = Context.current();
          await waitForMarker(instanceFiles(dir).consoleLog, marker, {
            timeoutMs: deps.bootTimeoutSeconds * 1000,
            isRunning: async () => {
              activity.heartbeat();
              return vm !== undefined && (await isRunning(vm));
            },
            signal: activity.cancellationSignal,
          });
        } else if (!vm) {
          throw new Error(`QEMU of instance ${step.instanceId} is not running`);
        }
        await record(step, { type: 'InstanceBooted.v1', data: { launchedAt: new Date().toISOString() } });
      }),

    destroyInstance: (step: LaunchStep) =>
      // Heartbeats: zeroing a large ephemeral disk takes a while, and the delete must notice a dead worker sooner.
      translatingFailures(() => heartbeating(() => removeInstance(layout.instance(step.instanceId), { clear: deps.ephemeral.clear, graceMs: destroyGraceMs, beforeRemove: deps.beforeRemove }))),
  } satisfies HostLaunchActivities;
}

/** The same functions as HostLaunchActivities, as plain properties (callable detached, as Temporal calls them). */
export type HostActivities = ReturnType<typeof createHostLaunchActivities>;
