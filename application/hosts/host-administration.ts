// An operator takes a compute host out of scheduling or puts it back (Nova's service
// disable/enable); answered once the read model shows it (read-your-writes).
import type { EventMetadata, EventStore } from '../../eventstore/port.js';
import type { ProjectionRunner } from '../../projections/runner.js';
import { setHostEnabled } from './host-commands.js';
import { READ_YOUR_WRITES_TIMEOUT_MS } from '../timeouts.js';

export class HostAdministration {
  constructor(
    private readonly events: EventStore,
    private readonly projections: ProjectionRunner,
  ) {}

  /** The caller checks that the host is registered: a status is only recorded for a known host. */
  async setEnabled(host: string, enabled: boolean, reason: string | null, metadata: EventMetadata): Promise<void> {
    const position = await setHostEnabled(this.events, host, enabled, reason, metadata);
    if (position > 0) await this.projections.waitFor(position, READ_YOUR_WRITES_TIMEOUT_MS);
  }
}
