// A compute host's presence on a real event log: it registers what the machine really
// has, heartbeats on a stream of its own, turns down when the heartbeats stop, and an
// operator can take it out of scheduling.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createHostProbeActivities } from '../../activities/host-probe.js';
import { registrationOf } from '../../activities/scheduling/compute-host-presence.js';
import { registerHost, setHostEnabled } from '../../application/hosts/host-commands.js';
import type { HostView } from '../../application/hosts/host-view.js';
import { openHostView } from '../../application/hosts/host-view.js';
import { announceHost } from '../../application/hosts/host-presence.js';
import { validateConfig } from '../../config/load.js';
import { heartbeatStream, hostDownReason } from '../../domain/compute/host-heartbeat.js';
import { hostStream } from '../../domain/compute/host.js';
import { waitUntil } from '../../runtime/wait.js';
import { registration } from './support/hosts.js';
import { addHost, placeAll, requestInstances, sqliteSettings, testMetadata } from './support/cluster.js';

let view: HostView | undefined;
afterEach(async () => {
  await view?.close();
  view = undefined;
});

async function freshView(): Promise<HostView> {
  view = await openHostView(sqliteSettings());
  return view;
}

describe('host presence', () => {
  it('registers what the probe found with the configured ratios and zone', async () => {
    const { events, hosts } = await freshView();
    const config = validateConfig({ compute: { host: 'probe-host', availabilityZone: 'az-probe', cpuAllocationRatio: 8, ramAllocationRatio: 1.25 } }, () => 'test');
    const facts = await createHostProbeActivities({
      host: 'probe-host',
      availabilityZone: config.compute.availabilityZone,
      stateDir: mkdtempSync(join(tmpdir(), 'strata-probe-')),
      accelerator: 'auto',
      ovmf: { code: config.compute.ovmfCode, vars: config.compute.ovmfVars },
    }).describeHost();

    await registerHost(events, registrationOf(facts, config.compute), testMetadata());

    const [host] = await hosts();
    expect(host?.state.registration).toEqual({
      host: 'probe-host',
      availabilityZone: 'az-probe',
      vcpus: facts.vcpus,
      memoryMb: facts.memoryMb,
      diskGb: facts.diskGb,
      cpuAllocationRatio: 8,
      ramAllocationRatio: 1.25,
      diskAllocationRatio: 1,
      accelerator: facts.accelerator,
      uefi: facts.uefi.available,
      qemuVersion: expect.stringMatching(/^QEMU emulator version/),
    });
  });

  it('heartbeats keep the host alive without touching its claim stream; once they stop it is down within three intervals', async () => {
    const { events, hosts } = await freshView();
    const presence = await announceHost({ events, registration: registration('beating'), intervalSeconds: 0.2, log: (line) => expect.fail(line) });
    try {
      await waitUntil('three heartbeats', async () => (await events.readStream(heartbeatStream('beating'))).length >= 3, { timeoutMs: 5_000, intervalMs: 50 });
      const [alive] = await hosts();
      expect(alive?.heartbeat?.intervalSeconds).toBe(0.2);
      expect(hostDownReason(alive?.heartbeat ?? null, new Date())).toBeNull();
      // Only the registration is on the host's stream, where claims are decided.
      expect((await events.readStream(hostStream('beating'))).map((event) => event.type)).toEqual(['HostRegistered.v1']);
    } finally {
      await presence.stop();
    }
    const stoppedAt = Date.now();
    await waitUntil('the host to count as down', async () => hostDownReason((await hosts())[0]?.heartbeat ?? null, new Date()) !== null, { timeoutMs: 5_000, intervalMs: 50 });
    expect(Date.now() - stoppedAt).toBeGreaterThanOrEqual(300);
    const [request] = await requestInstances(events, 1);
    const [result] = await placeAll({ events, hosts, close: async () => undefined }, [request!]);
    expect(result?.noValidHost).toMatch(/ComputeFilter rejected 1 host \(beating: is down: last heartbeat \d+ s ago \(every 0\.2 s expected\)\)/);
  });

  it('changed facts are recorded as a new registration', async () => {
    const { events, hosts } = await freshView();
    await registerHost(events, registration('h'), testMetadata());
    expect(await registerHost(events, registration('h', { diskGb: 50 }), testMetadata())).toBeGreaterThan(0);
    expect((await hosts())[0]?.state.registration.diskGb).toBe(50);
  });

  // KNOWN BUG in domain/compute/host.ts: `sameRegistration` compares JSON.stringify output,
  // but the store keeps data as canonical JSON (sorted keys), so a stored registration never
  // equals a fresh one and every worker start records HostRegistered again. Flip to `it`
  // once the comparison ignores key order.
  it('registering the same facts again records nothing', async () => {
    const { events } = await freshView();
    await registerHost(events, registration('h'), testMetadata());
    expect(await registerHost(events, registration('h'), testMetadata())).toBe(0);
  });

  it('a disabled host takes no instances until an operator enables it again', async () => {
    const current = await freshView();
    await addHost(current.events, 'h');
    await setHostEnabled(current.events, 'h', false, 'maintenance', testMetadata());
    const [first, second] = await requestInstances(current.events, 2);

    const [refused] = await placeAll(current, [first!]);
    expect(refused?.noValidHost).toBe('No valid host was found. ComputeFilter rejected 1 host (h: is disabled (maintenance)).');

    await setHostEnabled(current.events, 'h', true, 'ignored when enabling', testMetadata());
    const [placed] = await placeAll(current, [second!]);
    expect(placed?.host).toBe('h');
    expect((await current.hosts())[0]?.state).toMatchObject({ enabled: true, disabledReason: null });
  });
});
