// Whether a compute host is alive: its worker records a heartbeat every interval, and a
// host that missed three in a row is down. Heartbeats go to a stream of their own, not
// to `host-<name>`: that stream is where claims are decided against an expected
// revision, and a write there every few seconds would make every launch's claim retry.
import { z } from 'zod';

export const hostHeartbeatEventSchemas = {
  'HostHeartbeat.v1': z.object({
    host: z.string(),
    at: z.string(),
    /** The sender's interval, so every reader judges liveness by the host's own pace. */
    intervalSeconds: z.number().positive(),
  }),
} as const;

export type HostHeartbeat = z.infer<(typeof hostHeartbeatEventSchemas)['HostHeartbeat.v1']>;

export const MISSED_HEARTBEATS_UNTIL_DOWN = 3;

export function heartbeatStream(host: string): string {
  return `heartbeat-host-${host}`;
}

/** Why the host counts as down at `now`, or null while it is alive. */
export function hostDownReason(last: Pick<HostHeartbeat, 'at' | 'intervalSeconds'> | null, now: Date): string | null {
  if (!last) return 'has never sent a heartbeat';
  const silentMs = now.getTime() - Date.parse(last.at);
  if (silentMs <= MISSED_HEARTBEATS_UNTIL_DOWN * last.intervalSeconds * 1000) return null;
  return `last heartbeat ${Math.round(silentMs / 1000)} s ago (every ${last.intervalSeconds} s expected)`;
}
