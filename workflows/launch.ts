// Launching an instance, as the process reads: schedule it on a host, then on that host
// cache the image, build the root and ephemeral disks, attach its volumes (vda itself when
// it boots from a volume), start QEMU and wait for the boot.
// A failure on the host undoes what was built there, gives the claim back and tries
// another host; when no attempt is left the instance is ERROR with the failing step, and
// the launch waits for an operator: a retry runs new attempts (with the image as it is
// now), a delete ends it, and otherwise it ends when the decision window closes.
// A cancellation (a delete of the building instance) undoes the same, then ends the launch.
import { ActivityCancellationType, ApplicationFailure, CancellationScope, CancelledFailure, isCancellation, patched, proxyActivities, proxyLocalActivities, upsertSearchAttributes } from '@temporalio/workflow';
import type { HostLaunchActivities, LaunchStep, OperatorRetry, Placement, SchedulingActivities } from '../activities/launch/contract.js';
import { LaunchFailure } from '../activities/launch/contract.js';
import type { InstanceRequest } from '../domain/compute/instance.js';
import { bootsFromVolume } from '../domain/compute/boot-source.js';
import type { OperatorDecisions } from './operator-decision.js';
import { FAILED_LAUNCHES_WAIT, operatorDecisions } from './operator-decision.js';
import { searchAttributes } from './search-attributes.js';
import { CONTROL_TASK_QUEUE, computeTaskQueue } from './task-queues.js';
import { attachLaunchVolumes, confirmLaunchVolumes, launchAttachments, releaseLaunchVolumes } from './volume-launch.js';

export const MAX_LAUNCH_ATTEMPTS = 3;

/** Launches started before a flavor without ephemeral space skipped the vdb step ran it (it did nothing): their histories replay with it. */
export const EPHEMERAL_STEP_ONLY_WHEN_SIZED = 'ephemeral-step-only-when-the-flavor-has-ephemeral-space';

/**
 * Launches started before scheduling ran inside the workflow's own task scheduled it as a
 * regular activity: their histories replay with it.
 */
export const SCHEDULE_AS_LOCAL_ACTIVITY = 'schedule-as-local-activity';

export interface LaunchResult {
  status: 'active' | 'error';
  host: string | null;
  attempts: number;
}

/**
 * A cancelled launch waits for the step in flight to end before undoing it: a claim or a
 * QEMU started after the compensation ran would outlive the instance.
 */
const cancellationType = ActivityCancellationType.WAIT_CANCELLATION_COMPLETED;

const schedulingRetry = { maximumAttempts: 5, nonRetryableErrorTypes: [LaunchFailure.noValidHost, LaunchFailure.invalidRequest] };

const scheduling = proxyActivities<SchedulingActivities>({ taskQueue: CONTROL_TASK_QUEUE, cancellationType, startToCloseTimeout: '30 seconds', retry: schedulingRetry });

/**
 * The placement itself runs as a local activity: the control worker that runs this
 * workflow also serves the scheduler, so the claim is made inside the workflow task, not
 * after a round trip through the server's task queue (two fewer workflow tasks per launch).
 */
const placing = proxyLocalActivities<SchedulingActivities>({ cancellationType, startToCloseTimeout: '30 seconds', retry: schedulingRetry });

/** The host's activities: downloads get an hour, every other step two minutes; long waits heartbeat. */
function onHost(host: string): HostLaunchActivities {
  const common = { taskQueue: computeTaskQueue(host), scheduleToStartTimeout: '1 minute', cancellationType } as const;
  const retry = { maximumAttempts: 3, nonRetryableErrorTypes: [LaunchFailure.invalidRequest, LaunchFailure.bootTimeout] };
  const steps = proxyActivities<HostLaunchActivities>({ ...common, startToCloseTimeout: '2 minutes', retry });
  // A dead worker is noticed within the heartbeat timeout, however long the download.
  const downloads = proxyActivities<HostLaunchActivities>({
    ...common,
    startToCloseTimeout: '1 hour',
    heartbeatTimeout: '30 seconds',
    retry: { ...retry, maximumAttempts: 5 },
  });
  // The boot wait heartbeats so that a delete's cancellation reaches it promptly.
  const boot = proxyActivities<HostLaunchActivities>({ ...common, startToCloseTimeout: '2 minutes', heartbeatTimeout: '10 seconds', retry });
  // proxyActivities returns a Proxy: its members must be picked, not spread.
  return {
    ensureImageCached: downloads.ensureImageCached,
    createRootDisk: steps.createRootDisk,
    createEphemeralDisk: steps.createEphemeralDisk,
    startVm: steps.startVm,
    waitForBoot: boot.waitForBoot,
    destroyInstance: steps.destroyInstance,
  };
}

function stepOf(instanceId: string, attempt: number, name: string): LaunchStep {
  return { instanceId, attempt, key: `launch-${instanceId}/attempt-${attempt}/${name}` };
}

/** The innermost ApplicationFailure's type and message: activity failures wrap their cause. */
function failureOf(error: unknown): { type: string | null; message: string } {
  let current: unknown = error;
  while (current instanceof Error) {
    if (current instanceof ApplicationFailure) return { type: current.type ?? null, message: current.message };
    current = current.cause;
  }
  return { type: null, message: error instanceof Error ? error.message : String(error) };
}

type Fault = { step: string; host: string | null; message: string };

/** Schedules one attempt; null (with the reason) when no host can take the instance. */
async function schedule(request: InstanceRequest, attempt: number, excluded: string[]): Promise<Placement | Fault> {
  try {
    const scheduler = patched(SCHEDULE_AS_LOCAL_ACTIVITY) ? placing : scheduling;
    return await scheduler.scheduleInstance(stepOf(request.instanceId, attempt, 'schedule'), request, excluded);
  } catch (error) {
    if (isCancellation(error)) throw error;
    return { step: 'schedule', host: null, message: failureOf(error).message };
  }
}

/**
 * Builds and boots the instance on the chosen host. On failure, undoes what was built
 * there and gives the claim back; says whether another host might do better.
 */
async function buildOnHost(request: InstanceRequest, placement: Placement, attempt: number): Promise<{ fault: Fault; reschedule: boolean } | null> {
  const host = onHost(placement.host);
  let current = '';
  const step = (name: string) => {
    current = name;
    return stepOf(request.instanceId, attempt, name);
  };
  const volumes = launchAttachments(request, placement.host);
  try {
    // Booted from a volume, the instance's vda is that volume: no image to cache, no overlay.
    if (!bootsFromVolume(request)) {
      const base = await host.ensureImageCached(step('ensureImageCached'), request.image);
      await host.createRootDisk(step('createRootDisk'), request, base);
    }
    // No ephemeral space, no vdb: the step would only cost a round trip to the host.
    if (request.flavor.ephemeralGb > 0 || !patched(EPHEMERAL_STEP_ONLY_WHEN_SIZED)) await host.createEphemeralDisk(step('createEphemeralDisk'), request);
    await attachLaunchVolumes(volumes, step);
    await host.startVm(step('startVm'), request);
    await host.waitForBoot(step('waitForBoot'), request);
    await confirmLaunchVolumes(volumes);
    return null;
  } catch (error) {
    const undo = async () => {
      await host.destroyInstance(stepOf(request.instanceId, attempt, 'destroyInstance'));
      await releaseLaunchVolumes(volumes, (name) => stepOf(request.instanceId, attempt, name));
      await scheduling.releaseClaim(stepOf(request.instanceId, attempt, 'releaseClaim'), placement.host);
    };
    // A step may also fail on its own after the cancellation came: the launch ends cancelled either way.
    if (isCancellation(error) || CancellationScope.current().consideredCancelled) {
      // The scope is cancelled: only a non-cancellable one may still run activities.
      await CancellationScope.nonCancellable(undo);
      throw isCancellation(error) ? error : new CancelledFailure('launch cancelled');
    }
    await undo();
    const { type, message } = failureOf(error);
    return { fault: { step: current, host: placement.host, message }, reschedule: type !== LaunchFailure.invalidRequest };
  }
}

type Round = { host: string; attempts: number } | { fault: Fault; attempts: number };

/** Up to MAX_LAUNCH_ATTEMPTS hosts, attempts numbered from `first`: the host that booted it, or the fault that stopped it. */
async function launchOnSomeHost(request: InstanceRequest, first: number): Promise<Round> {
  const excluded: string[] = [];
  const last = first + MAX_LAUNCH_ATTEMPTS - 1;
  let failure: Fault | null = null;
  let attempt = first;
  for (; attempt <= last; attempt++) {
    const placement = await schedule(request, attempt, excluded);
    if (!('availabilityZone' in placement)) {
      // After a failed host, "no other host" is not the cause worth reporting.
      failure ??= placement;
      break;
    }
    upsertSearchAttributes([{ key: searchAttributes.host, value: placement.host }]);
    const outcome = await buildOnHost(request, placement, attempt);
    if (!outcome) return { host: placement.host, attempts: attempt };
    failure = outcome.fault;
    if (!outcome.reschedule) break;
    excluded.push(placement.host);
  }
  return { fault: failure ?? { step: 'schedule', host: null, message: 'launch failed' }, attempts: Math.min(attempt, last) };
}

/**
 * Waits (until the window closes) for an operator's retry and records it as attempt `next`.
 * A retry the instance refuses (an admin reset its state meanwhile) is answered as such and
 * the wait goes on. Null when no retry came.
 */
async function awaitRetry(decisions: OperatorDecisions, instanceId: string, next: number, seconds: number): Promise<OperatorRetry | null> {
  const deadline = Date.now() + seconds * 1000;
  for (;;) {
    const retry = await decisions.next(deadline);
    if (!retry) return null;
    try {
      await scheduling.recordRetryRequested(stepOf(instanceId, next, 'retry'), retry);
      decisions.answer({ attempt: next });
      return retry;
    } catch (error) {
      if (isCancellation(error)) throw error;
      decisions.answer({ refused: failureOf(error).message });
    }
  }
}

export async function launchInstance(request: InstanceRequest): Promise<LaunchResult> {
  const { instanceId } = request;
  upsertSearchAttributes([
    { key: searchAttributes.instanceId, value: instanceId },
    { key: searchAttributes.imageId, value: request.image.id },
    { key: searchAttributes.project, value: request.projectId },
    { key: searchAttributes.operation, value: 'launch' },
  ]);
  const decisions = operatorDecisions(instanceId);
  let current = request;
  let first = 1;
  for (;;) {
    const round = await launchOnSomeHost(current, first);
    if ('host' in round) return { status: 'active', host: round.host, attempts: round.attempts };
    const { fault, attempts } = round;
    const recorded = await scheduling.recordLaunchFailure(stepOf(instanceId, attempts, 'failed'), { code: 500, ...fault });
    // The instance is ERROR now; the launch stays open for an operator's retry or delete.
    const retry = patched(FAILED_LAUNCHES_WAIT) ? await awaitRetry(decisions, instanceId, attempts + 1, recorded.decisionSeconds) : null;
    if (!retry) return { status: 'error', host: fault.host, attempts };
    first = attempts + 1;
    current = { ...current, image: retry.image, forcedHost: retry.host ?? request.forcedHost };
  }
}
