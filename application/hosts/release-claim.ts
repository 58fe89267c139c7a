// Gives back what a launch attempt took on a host: the resources claimed there and, for
// a server group member, its place on that host. A no-op when there is nothing to give.
import type { LaunchStep } from '../../activities/launch/contract.js';
import { fold } from '../../domain/decider.js';
import { hostDecider, hostStream } from '../../domain/compute/host.js';
import type { InstanceEvent } from '../../domain/compute/instance.js';
import { instanceDecider, instanceStream } from '../../domain/compute/instance.js';
import { serverGroupDecider, serverGroupStream } from '../../domain/compute/server-group.js';
import type { EventMetadata, EventStore } from '../../eventstore/port.js';
import { handleCommand } from '../handle-command.js';

export async function releaseInstanceClaim(events: EventStore, step: LaunchStep, host: string, metadata: EventMetadata): Promise<void> {
  const { instanceId } = step;
  await handleCommand(events, hostDecider, hostStream(host), { kind: 'release', instanceId }, { metadata, idempotencyKey: `${step.key}/${host}` });
  const instance = fold(instanceDecider, (await events.readStream(instanceStream(instanceId))) as unknown as InstanceEvent[]);
  // Requests recorded before server groups existed carry no group id at all.
  const groupId = instance.request?.groupId ?? null;
  if (groupId === null) return;
  await handleCommand(events, serverGroupDecider, serverGroupStream(groupId), { kind: 'unplace', instanceId, host }, { metadata });
}
