// Creating and deleting flavors on the `flavors` stream, answered once the read model
// shows the change; and seeding the default flavors of a fresh cloud.
import type { Flavor, FlavorCommand } from '../../domain/compute/flavor.js';
import { DEFAULT_FLAVORS, FLAVORS_STREAM, flavorDecider } from '../../domain/compute/flavor.js';
import { DomainError } from '../../domain/decider.js';
import type { EventMetadata, EventStore } from '../../eventstore/port.js';
import type { ProjectionRunner } from '../../projections/runner.js';
import { handleCommand } from '../handle-command.js';
import { READ_YOUR_WRITES_TIMEOUT_MS } from '../timeouts.js';

export class FlavorCommands {
  constructor(
    private readonly events: EventStore,
    private readonly projections: ProjectionRunner,
  ) {}

  private async run(command: FlavorCommand, metadata: EventMetadata, idempotencyKey?: string): Promise<void> {
    const { position } = await handleCommand(this.events, flavorDecider, FLAVORS_STREAM, command, { metadata, idempotencyKey });
    if (position > 0) await this.projections.waitFor(position, READ_YOUR_WRITES_TIMEOUT_MS);
  }

  create(flavor: Flavor, metadata: EventMetadata): Promise<void> {
    return this.run({ kind: 'create', flavor }, metadata);
  }

  delete(id: string, metadata: EventMetadata): Promise<void> {
    return this.run({ kind: 'delete', id }, metadata);
  }

  /**
   * Creates each default flavor once in the cloud's life. The event id derives from the
   * flavor's seed key, so a restart, or another API process seeding at the same time,
   * finds it recorded and does nothing; a default an operator deleted stays deleted.
   */
  async seedDefaults(metadata: EventMetadata): Promise<void> {
    for (const flavor of DEFAULT_FLAVORS) {
      try {
        await this.run({ kind: 'create', flavor }, metadata, `flavors/seed/${flavor.id}`);
      } catch (error) {
        // An operator already made a flavor with this id or name before the seed ran.
        if (!(error instanceof DomainError && error.kind === 'conflict')) throw error;
      }
    }
  }
}
