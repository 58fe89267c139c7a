// Places one instance: filter and weigh the hosts as they are now, then claim on the best
// one. Neither the read model nor the plan is trusted for the outcome: a server group
// placement is decided on the group's stream and the resources on the host's stream,
// each against its expected revision, so concurrent launches (in any process) can never
// overfill a host or break a group's policy. A host lost to a concurrent launch is
// skipped for the next one.
import type { Placement, LaunchStep } from '../../activities/launch/contract.js';
import { DomainError, fold } from '../../domain/decider.js';
import { hostDecider, hostStream } from '../../domain/compute/host.js';
import type { InstanceRequest } from '../../domain/compute/instance.js';
import type { GroupPlacements, Rejection } from '../../domain/compute/scheduler.js';
import { noValidHostMessage, placementRequestOf, planPlacement, requestedResources } from '../../domain/compute/scheduler.js';
import type { ServerGroupEvent } from '../../domain/compute/server-group.js';
import { serverGroupDecider, serverGroupStream } from '../../domain/compute/server-group.js';
import type { EventMetadata, EventStore } from '../../eventstore/port.js';
import { WrongExpectedRevisionError } from '../../eventstore/port.js';
import type { HostRecord } from '../../projections/host-queries.js';
import { handleCommand } from '../handle-command.js';
import { recordInstanceStep } from '../instances/record-step.js';
import type { HostSource } from './host-view.js';

export interface PlacementDependencies {
  events: EventStore;
  hosts: HostSource;
  now: () => Date;
}

/** No host can take the instance; the message says what each filter refused and why. */
export class NoValidHostError extends Error {
  override readonly name = 'NoValidHostError';
}

/** Passes whose claims only lost revision races are planned again on fresh states, this often at most. */
const MAX_PASSES = 5;

type ClaimOutcome = { placed: HostRecord } | { placed: null; refused: Rejection[]; contended: boolean };

export async function placeInstance(
  deps: PlacementDependencies,
  step: LaunchStep,
  request: InstanceRequest,
  excludedHosts: readonly string[],
  metadata: EventMetadata,
): Promise<Placement> {
  const unexcluded = (host: HostRecord) => !excludedHosts.includes(host.state.registration.host);
  for (let pass = 1; ; pass++) {
    const hosts = await deps.hosts();
    // A retry of this step after its claim succeeded: keep that host.
    const held = hosts.find((host) => unexcluded(host) && host.state.claims.has(request.instanceId));
    if (held) return recordScheduled(deps.events, step, request, held, metadata);
    const group = request.groupId === null ? null : await groupPlacements(deps.events, request.groupId);
    const plan = planPlacement(placementRequestOf(request, excludedHosts, group), hosts, deps.now());
    const outcome = await claimBest(deps.events, step, request, plan.ranked, metadata);
    if (outcome.placed) return recordScheduled(deps.events, step, request, outcome.placed, metadata);
    if (outcome.contended && pass < MAX_PASSES) continue;
    await leaveGroupHost(deps.events, request, metadata);
    throw new NoValidHostError(noValidHostMessage([...plan.rejections, ...outcome.refused]));
  }
}

async function groupState(events: EventStore, groupId: string) {
  return fold(serverGroupDecider, (await events.readStream(serverGroupStream(groupId))) as unknown as ServerGroupEvent[]);
}

async function groupPlacements(events: EventStore, groupId: string): Promise<GroupPlacements> {
  const state = await groupState(events, groupId);
  if (!state.group || state.deleted) throw new NoValidHostError(`No valid host was found. Server group ${groupId} could not be found.`);
  return { group: state.group, members: state.members };
}

/** Claims on the ranked hosts in order until one holds; a refusal is a reason, a lost race a reason to plan again. */
async function claimBest(events: EventStore, step: LaunchStep, request: InstanceRequest, ranked: readonly HostRecord[], metadata: EventMetadata): Promise<ClaimOutcome> {
  const refused: Rejection[] = [];
  let contended = false;
  const { instanceId, groupId } = request;
  for (const candidate of ranked) {
    const { host } = candidate.state.registration;
    try {
      // A placement left by a host whose claim then failed is replaced by the next one.
      if (groupId !== null) await handleCommand(events, serverGroupDecider, serverGroupStream(groupId), { kind: 'place', instanceId, host }, { metadata });
      const claim = { kind: 'claim', instanceId, resources: requestedResources(request.flavor) } as const;
      const { state } = await handleCommand(events, hostDecider, hostStream(host), claim, { metadata, idempotencyKey: `${step.key}/claim/${host}` });
      if (state.claims.has(instanceId)) return { placed: candidate };
    } catch (error) {
      if (error instanceof WrongExpectedRevisionError) {
        contended = true;
        refused.push({ host, filter: 'Claim', reason: 'kept losing to concurrent launches' });
      } else if (error instanceof DomainError) refused.push({ host, filter: 'Claim', reason: `lost to a concurrent launch: ${error.message}` });
      else throw error;
    }
  }
  return { placed: null, refused, contended };
}

/** A launch that found no host occupies none in its group (a failed claim may have left a placement). */
async function leaveGroupHost(events: EventStore, request: InstanceRequest, metadata: EventMetadata): Promise<void> {
  if (request.groupId === null) return;
  const host = (await groupState(events, request.groupId)).members.get(request.instanceId);
  if (host) await unplace(events, request, host, metadata);
}

async function unplace(events: EventStore, request: InstanceRequest, host: string, metadata: EventMetadata): Promise<void> {
  if (request.groupId === null) return;
  await handleCommand(events, serverGroupDecider, serverGroupStream(request.groupId), { kind: 'unplace', instanceId: request.instanceId, host }, { metadata });
}

/** Records InstanceScheduled; if the instance can no longer take it (deleted meanwhile), gives the claim back. */
async function recordScheduled(events: EventStore, step: LaunchStep, request: InstanceRequest, chosen: HostRecord, metadata: EventMetadata): Promise<Placement> {
  const { host, availabilityZone } = chosen.state.registration;
  try {
    await recordInstanceStep(events, step, { type: 'InstanceScheduled.v1', data: { host, availabilityZone, attempt: step.attempt } }, metadata);
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    await handleCommand(events, hostDecider, hostStream(host), { kind: 'release', instanceId: request.instanceId }, { metadata });
    await unplace(events, request, host, metadata);
    throw error;
  }
  return { host, availabilityZone };
}
