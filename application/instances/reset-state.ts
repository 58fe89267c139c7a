// Nova's os-resetState: an admin sets an instance's vm_state by hand (active or error) and
// clears its task_state, e.g. to release an instance stuck in a state no workflow will
// leave. It records an event like any other change, so the history shows who did it.
import type { InstanceEvent } from '../../domain/compute/instance.js';
import { instanceDecider, instanceStream } from '../../domain/compute/instance.js';
import type { EventMetadata, EventStore } from '../../eventstore/port.js';
import type { ProjectionRunner } from '../../projections/runner.js';
import { handleCommand } from '../handle-command.js';
import { READ_YOUR_WRITES_TIMEOUT_MS } from '../timeouts.js';

export type ResettableState = Extract<InstanceEvent, { type: 'InstanceStateReset.v1' }>['data']['vmState'];

export class InstanceStateResetter {
  constructor(private readonly deps: { events: EventStore; projections: ProjectionRunner }) {}

  async reset(instanceId: string, vmState: ResettableState, metadata: EventMetadata): Promise<void> {
    const event = { type: 'InstanceStateReset.v1', data: { vmState, resetAt: metadata.timestamp } } as const;
    const { position } = await handleCommand(this.deps.events, instanceDecider, instanceStream(instanceId), { kind: 'record', event }, { metadata });
    await this.deps.projections.waitFor(position, READ_YOUR_WRITES_TIMEOUT_MS);
  }
}
