// A compute worker's presence: it registers its host when it starts and then records a
// heartbeat every interval until it stops, so the scheduler knows the host is there.
import { requestMetadata } from '../metadata.js';
import type { HostRegistration } from '../../domain/compute/host.js';
import type { EventStore } from '../../eventstore/port.js';
import { recordHeartbeat, registerHost } from './host-commands.js';

export interface HostPresenceOptions {
  events: EventStore;
  registration: HostRegistration;
  intervalSeconds: number;
  /** Where a failed heartbeat is reported; the next one is tried on schedule regardless. */
  log: (line: string) => void;
}

export interface HostPresence {
  /** Stops the heartbeats (the host then turns down after three intervals). */
  stop(): Promise<void>;
}

export async function announceHost({ events, registration, intervalSeconds, log }: HostPresenceOptions): Promise<HostPresence> {
  const { host } = registration;
  const metadata = () => requestMetadata(null, `compute-worker/${host}`);
  await registerHost(events, registration, metadata());
  const beat = () => recordHeartbeat(events, { host, at: new Date().toISOString(), intervalSeconds }, metadata());
  await beat();
  let inFlight: Promise<unknown> = Promise.resolve();
  const timer = setInterval(() => {
    inFlight = beat().catch((error: unknown) => log(`host ${host}: heartbeat not recorded: ${error instanceof Error ? error.message : String(error)}`));
  }, intervalSeconds * 1000);
  return {
    async stop() {
      clearInterval(timer);
      await inFlight;
    },
  };
}
