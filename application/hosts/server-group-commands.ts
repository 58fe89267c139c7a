// Creating and deleting server groups on their own streams, answered once the read model
// shows the change (read-your-writes), so the API can answer from the read model.
import type { ServerGroup, ServerGroupCommand } from '../../domain/compute/server-group.js';
import { serverGroupDecider, serverGroupStream } from '../../domain/compute/server-group.js';
import type { EventMetadata, EventStore } from '../../eventstore/port.js';
import type { ProjectionRunner } from '../../projections/runner.js';
import { handleCommand } from '../handle-command.js';
import { READ_YOUR_WRITES_TIMEOUT_MS } from '../timeouts.js';

export class ServerGroupCommands {
  constructor(
    private readonly events: EventStore,
    private readonly projections: ProjectionRunner,
  ) {}

  private async run(groupId: string, command: ServerGroupCommand, metadata: EventMetadata): Promise<void> {
    const { position } = await handleCommand(this.events, serverGroupDecider, serverGroupStream(groupId), command, { metadata });
    if (position > 0) await this.projections.waitFor(position, READ_YOUR_WRITES_TIMEOUT_MS);
  }

  create(group: ServerGroup, metadata: EventMetadata): Promise<void> {
    return this.run(group.groupId, { kind: 'create', group }, metadata);
  }

  /** Members keep running; only the group and its policy go. */
  delete(groupId: string, metadata: EventMetadata): Promise<void> {
    return this.run(groupId, { kind: 'delete' }, metadata);
  }
}
