// What is recorded about a compute host outside of launches: its registration (capacity,
// capabilities, zone), an operator enabling or disabling it, and its heartbeats.
import { randomUUID } from 'node:crypto';
import type { HostHeartbeat } from '../../domain/compute/host-heartbeat.js';
import { heartbeatStream } from '../../domain/compute/host-heartbeat.js';
import type { HostRegistration } from '../../domain/compute/host.js';
import { hostDecider, hostStream } from '../../domain/compute/host.js';
import type { EventMetadata, EventStore } from '../../eventstore/port.js';
import { handleCommand } from '../handle-command.js';

/** Records the host's registration when it is new or changed; returns the position to wait for (0 if unchanged). */
export async function registerHost(events: EventStore, registration: HostRegistration, metadata: EventMetadata): Promise<number> {
  const { position } = await handleCommand(events, hostDecider, hostStream(registration.host), { kind: 'register', registration }, { metadata });
  return position;
}

/** An operator takes a host out of scheduling (or back in); instances already on it stay. */
export async function setHostEnabled(events: EventStore, host: string, enabled: boolean, reason: string | null, metadata: EventMetadata): Promise<number> {
  const { position } = await handleCommand(events, hostDecider, hostStream(host), { kind: 'setEnabled', enabled, reason: enabled ? null : reason }, { metadata });
  return position;
}

/** Heartbeats only ever add to their own stream: no expected revision, nothing to contend with. */
export async function recordHeartbeat(events: EventStore, heartbeat: HostHeartbeat, metadata: EventMetadata): Promise<number> {
  const { positions } = await events.append(heartbeatStream(heartbeat.host), [{ id: randomUUID(), type: 'HostHeartbeat.v1', data: heartbeat, metadata }], { expected: 'any' });
  return positions.at(-1) ?? 0;
}
