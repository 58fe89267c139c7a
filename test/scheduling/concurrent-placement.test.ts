// Placement under concurrency on a real SQLite event log: many launches at once, in one
// process and in two, never overfill a host, never claim twice, never break a server
// group's policy; each launch is either placed or told NoValidHost with the reasons.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { handleCommand } from '../../application/handle-command.js';
import type { HostView } from '../../application/hosts/host-view.js';
import { openHostView } from '../../application/hosts/host-view.js';
import { fold } from '../../domain/decider.js';
import { freeResources, hostDecider, hostStream } from '../../domain/compute/host.js';
import type { InstanceEvent, InstanceRequest } from '../../domain/compute/instance.js';
import { instanceDecider, instanceStream } from '../../domain/compute/instance.js';
import type { ServerGroup, ServerGroupEvent } from '../../domain/compute/server-group.js';
import { serverGroupDecider, serverGroupStream } from '../../domain/compute/server-group.js';
import type { EventStoreSettings } from '../../eventstore/open.js';
import type { EventStore } from '../../eventstore/port.js';
import { linesUntilExit } from '../eventstore/fixtures/child-process.js';
import type { PlacementResult } from './support/cluster.js';
import { addHost, claimEventsPerInstance, hostState, placeAll, requestInstances, sqliteSettings, testMetadata } from './support/cluster.js';

const views: HostView[] = [];
afterEach(async () => {
  for (const view of views.splice(0)) await view.close();
});

async function openView(settings: EventStoreSettings): Promise<HostView> {
  const view = await openHostView(settings);
  views.push(view);
  return view;
}

/** Places each batch of requests from its own OS process, all started together. */
async function placeFromProcesses(settings: EventStoreSettings, batches: InstanceRequest[][]): Promise<PlacementResult[]> {
  const fixture = fileURLToPath(new URL('./fixtures/place-many.ts', import.meta.url));
  const children = batches.map((requests) => spawn(process.execPath, ['--import', 'tsx', fixture, JSON.stringify({ settings, requests })], { stdio: 'pipe' }));
  let ready = 0;
  const reports = children.map((child) =>
    linesUntilExit(child, (message) => {
      if ((message as { ready?: boolean }).ready !== true) return;
      // Every process has opened its view: start them together so they really contend.
      if (++ready === children.length) for (const each of children) each.stdin.end('go\n');
    }),
  );
  const finals = await Promise.all(reports);
  return finals.flatMap((messages) => (messages.at(-1) as { results: PlacementResult[] }).results);
}

/** What must hold after any set of concurrent placements, read from the streams themselves. */
async function expectConsistent(events: EventStore, hosts: readonly string[], results: readonly PlacementResult[]): Promise<void> {
  for (const host of hosts) {
    const free = freeResources(await hostState(events, host));
    expect(free.vcpus).toBeGreaterThanOrEqual(0);
    expect(free.ramMb).toBeGreaterThanOrEqual(0);
    expect(free.diskGb).toBeGreaterThanOrEqual(0);
  }
  const claimEvents = await claimEventsPerInstance(events, hosts);
  for (const result of results) {
    expect((result.host === null) !== (result.noValidHost === null)).toBe(true);
    const instance = fold(instanceDecider, (await events.readStream(instanceStream(result.instanceId))) as unknown as InstanceEvent[]);
    if (result.host === null) {
      expect(result.noValidHost).toMatch(/^No valid host was found\. /);
      expect(claimEvents.get(result.instanceId)).toBeUndefined();
      expect(instance.host).toBeNull();
    } else {
      expect(claimEvents.get(result.instanceId)).toBe(1);
      expect((await hostState(events, result.host)).claims.has(result.instanceId)).toBe(true);
      expect(instance.host).toBe(result.host);
      expect(instance.taskState).toBe('block_device_mapping');
    }
  }
}

const countBy = (results: readonly PlacementResult[]) => {
  const perHost = new Map<string, number>();
  for (const { host } of results) if (host !== null) perHost.set(host, (perHost.get(host) ?? 0) + 1);
  return perHost;
};

async function createGroup(events: EventStore, policy: ServerGroup['policy']): Promise<string> {
  const groupId = crypto.randomUUID();
  const group: ServerGroup = { groupId, name: policy, policy, maxServerPerHost: null, projectId: 'project', userId: 'user', createdAt: new Date().toISOString() };
  await handleCommand(events, serverGroupDecider, serverGroupStream(groupId), { kind: 'create', group }, { metadata: testMetadata() });
  return groupId;
}

// Room for four m1.tiny (512 MB) per host: RAM is what runs out.
const SMALL_HOST = { vcpus: 16, memoryMb: 2048, diskGb: 100 };
const ROOMY_HOST = { vcpus: 16, memoryMb: 65536, diskGb: 500 };

/** A fresh log with `hosts` of one size and `count` requested instances, in a server group when a policy is given. */
async function cloudWith(hosts: readonly string[], size: typeof SMALL_HOST, count: number, policy?: ServerGroup['policy']) {
  const settings = sqliteSettings();
  const view = await openView(settings);
  for (const host of hosts) await addHost(view.events, host, size);
  const groupId = policy === undefined ? null : await createGroup(view.events, policy);
  const requests = await requestInstances(view.events, count, { groupId });
  return { settings, view, requests, groupId };
}

describe('concurrent placement', () => {
  const twoHosts = ['h1', 'h2'];
  const threeHosts = ['h1', 'h2', 'h3'];

  it('20 launches at once in one process on two hosts with room for 8: 8 placed, 12 NoValidHost, nothing overfilled or doubled', async () => {
    const { view, requests } = await cloudWith(twoHosts, SMALL_HOST, 20);

    const results = await placeAll(view, requests);

    expect(countBy(results)).toEqual(new Map([['h1', 4], ['h2', 4]]));
    const refused = results.filter((result) => result.host === null);
    expect(refused).toHaveLength(12);
    for (const { noValidHost } of refused) expect(noValidHost).toMatch(/RamFilter rejected 2 hosts \(h1: needs 512 MB RAM, 0 MB free; h2: needs 512 MB RAM, 0 MB free\)|Claim rejected/);
    await expectConsistent(view.events, twoHosts, results);
  });

  it('the same from two OS processes, 10 launches each', async () => {
    const { settings, view, requests } = await cloudWith(twoHosts, SMALL_HOST, 20);

    const results = await placeFromProcesses(settings, [requests.slice(0, 10), requests.slice(10)]);

    expect(results).toHaveLength(20);
    expect(countBy(results)).toEqual(new Map([['h1', 4], ['h2', 4]]));
    await expectConsistent(view.events, twoHosts, results);
  });

  it('anti-affinity: 8 members launched at once from two processes take 3 distinct hosts, the rest get NoValidHost', async () => {
    const { settings, view, requests, groupId } = await cloudWith(threeHosts, ROOMY_HOST, 8, 'anti-affinity');

    const results = await placeFromProcesses(settings, [requests.slice(0, 4), requests.slice(4)]);

    expect(countBy(results)).toEqual(new Map(threeHosts.map((host) => [host, 1])));
    for (const { noValidHost } of results.filter((result) => result.host === null)) expect(noValidHost).toMatch(/ServerGroupAntiAffinityFilter|Claim rejected/);
    await expectConsistent(view.events, threeHosts, results);
    const group = fold(serverGroupDecider, (await view.events.readStream(serverGroupStream(groupId!))) as unknown as ServerGroupEvent[]);
    // The group records each member on the host it got, and a member that got none on no host.
    for (const result of results) expect(group.members.get(result.instanceId) ?? null).toBe(result.host);
  });

  it('affinity: 6 members launched at once all land on one host', async () => {
    const { view, requests } = await cloudWith(threeHosts, ROOMY_HOST, 6, 'affinity');

    const results = await placeAll(view, requests);

    expect([...countBy(results).values()]).toEqual([6]);
    await expectConsistent(view.events, threeHosts, results);
  });

  it('a host filled between plan and claim is reported as lost, and the group keeps no place for the refused member', async () => {
    const { view, requests, groupId } = await cloudWith(['h1'], { vcpus: 4, memoryMb: 512, diskGb: 100 }, 1, 'anti-affinity');
    // What the planner saw, then a concurrent launch takes the host's last RAM.
    const stale = await view.hosts();
    const other = { kind: 'claim', instanceId: crypto.randomUUID(), resources: { vcpus: 1, ramMb: 512, diskGb: 1 } } as const;
    await handleCommand(view.events, hostDecider, hostStream('h1'), other, { metadata: testMetadata() });

    const [result] = await placeAll({ ...view, hosts: async () => stale }, requests);

    expect(result?.noValidHost).toBe('No valid host was found. Claim rejected 1 host (h1: lost to a concurrent launch: host h1 needs 512 MB RAM, 0 MB free).');
    const group = fold(serverGroupDecider, (await view.events.readStream(serverGroupStream(groupId!))) as unknown as ServerGroupEvent[]);
    expect(group.members.get(requests[0]!.instanceId)).toBeNull();
    await expectConsistent(view.events, ['h1'], [result!]);
  });
});
