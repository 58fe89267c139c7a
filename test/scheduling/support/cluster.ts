// A small cloud on a real SQLite event log for scheduling tests: hosts that registered
// and sent a heartbeat, instances requested as the API records them, and the launches'
// placement calls run side by side.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LaunchStep } from '../../../activities/launch/contract.js';
import { handleCommand } from '../../../application/handle-command.js';
import { recordHeartbeat, registerHost } from '../../../application/hosts/host-commands.js';
import type { HostView } from '../../../application/hosts/host-view.js';
import { NoValidHostError, placeInstance } from '../../../application/hosts/place-instance.js';
import { requestMetadata } from '../../../application/metadata.js';
import { fold } from '../../../domain/decider.js';
import type { HostEvent, HostRegistration, HostState } from '../../../domain/compute/host.js';
import { hostDecider, hostStream } from '../../../domain/compute/host.js';
import type { InstanceRequest } from '../../../domain/compute/instance.js';
import { instanceDecider, instanceStream } from '../../../domain/compute/instance.js';
import type { EventStoreSettings } from '../../../eventstore/open.js';
import type { EventStore } from '../../../eventstore/port.js';
import { instanceRequestFor } from '../../compute-api/compute-harness.js';
import { registration } from './hosts.js';

export const testMetadata = () => requestMetadata(null, 'scheduling-test');

export function sqliteSettings(): EventStoreSettings {
  return { dataDir: mkdtempSync(join(tmpdir(), 'strata-scheduling-')), eventStore: { adapter: 'sqlite' } };
}

export async function addHost(events: EventStore, host: string, overrides: Partial<HostRegistration> = {}): Promise<void> {
  await registerHost(events, registration(host, overrides), testMetadata());
  await recordHeartbeat(events, { host, at: new Date().toISOString(), intervalSeconds: 60 }, testMetadata());
}

export async function requestInstances(events: EventStore, count: number, overrides: Partial<InstanceRequest> = {}): Promise<InstanceRequest[]> {
  const requests: InstanceRequest[] = [];
  for (let index = 0; index < count; index++) {
    const request: InstanceRequest = { ...instanceRequestFor('project', `vm-${index}`), ...overrides };
    await handleCommand(events, instanceDecider, instanceStream(request.instanceId), { kind: 'request', request }, { metadata: testMetadata() });
    requests.push(request);
  }
  return requests;
}

export function scheduleStep(instanceId: string, attempt = 1): LaunchStep {
  return { instanceId, attempt, key: `launch-${instanceId}/attempt-${attempt}/schedule` };
}

export interface PlacementResult {
  instanceId: string;
  host: string | null;
  /** The NoValidHost message when no host was found. */
  noValidHost: string | null;
}

/** Places every request at once, as concurrent launches would; any error but NoValidHost fails. */
export async function placeAll(view: HostView, requests: readonly InstanceRequest[]): Promise<PlacementResult[]> {
  return Promise.all(
    requests.map(async (request) => {
      try {
        const placement = await placeInstance({ ...view, now: () => new Date() }, scheduleStep(request.instanceId), request, [], testMetadata());
        return { instanceId: request.instanceId, host: placement.host, noValidHost: null };
      } catch (error) {
        if (!(error instanceof NoValidHostError)) throw error;
        return { instanceId: request.instanceId, host: null, noValidHost: error.message };
      }
    }),
  );
}

/** The host's state folded from its own stream: the truth, whatever any read model says. */
export async function hostState(events: EventStore, host: string): Promise<HostState> {
  return fold(hostDecider, (await events.readStream(hostStream(host))) as unknown as HostEvent[]);
}

/** How many ResourcesClaimed events each instance has on the hosts. */
export async function claimEventsPerInstance(events: EventStore, hosts: readonly string[]): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (const host of hosts) {
    for (const event of await events.readStream(hostStream(host))) {
      if (event.type !== 'ResourcesClaimed.v1') continue;
      const { instanceId } = event.data as { instanceId: string };
      counts.set(instanceId, (counts.get(instanceId) ?? 0) + 1);
    }
  }
  return counts;
}
