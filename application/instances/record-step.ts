// Records one launch step's event on the instance's stream. The event id comes from the
// step's key, so an activity retried after a crash finds its event already there.
import type { LaunchStep } from '../../activities/launch/contract.js';
import type { InstanceEvent } from '../../domain/compute/instance.js';
import { instanceDecider, instanceStream } from '../../domain/compute/instance.js';
import type { EventMetadata, EventStore } from '../../eventstore/port.js';
import { handleCommand } from '../handle-command.js';

export async function recordInstanceStep(
  events: EventStore,
  step: LaunchStep,
  event: Exclude<InstanceEvent, { type: 'InstanceRequested.v1' }>,
  metadata: EventMetadata,
): Promise<number> {
  const { position } = await handleCommand(events, instanceDecider, instanceStream(step.instanceId), { kind: 'record', event }, { metadata, idempotencyKey: `${step.key}/${event.type}` });
  return position;
}
