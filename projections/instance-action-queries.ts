// An instance's actions (os-instance-actions), derived on each read from its stream in the
// event store: streams are short, the derivation is pure, and reading the log itself means
// a client sees its own request's action at once (no projection to wait for).
import { instanceActions, type InstanceAction } from '../domain/compute/instance-actions.js';
import { instanceStream } from '../domain/compute/instance.js';
import type { EventStore } from '../eventstore/port.js';

export interface InstanceActionQueries {
  /** The instance's actions, oldest first; empty when it has no events. */
  actionsOf(instanceId: string): Promise<InstanceAction[]>;
}

export function instanceActionQueries(events: EventStore): InstanceActionQueries {
  return {
    actionsOf: async (instanceId) => instanceActions(await events.readStream(instanceStream(instanceId))),
  };
}
