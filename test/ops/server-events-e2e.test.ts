// The must-show, end to end against `strata up` with the real `openstack` CLI: a server is
// launched (real QEMU, the BIOS test guest), snapshotted and deleted; `openstack server
// event list|show` show its create, createImage and delete with their steps; `strata audit export` of its stream
// verifies offline, and altering one line of the export fails naming that line.
import { execa } from 'execa';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitUntil } from '../../runtime/wait.js';
import { guestImages } from '../hypervisor/guest-lab.js';
import { openstack, openstackJson } from '../support/openstack.js';
import { stopServerVms } from '../support/server-vms.js';
import { startStrata, type RunningStrata } from '../support/strata-up.js';

type Row = Record<string, unknown>;
type Action = Row & { events: Row[] };

let strata: RunningStrata;
let admin: Record<string, string>;
let scratch: string;
let serverId = '';

const strataCli = (args: string[], env: Record<string, string>) =>
  execa('node', ['--import', 'tsx', 'cli/main.ts', ...args], { cwd: join(import.meta.dirname, '../..'), env, reject: false, timeout: 60_000 });

beforeAll(async () => {
  await execa('bash', [join(import.meta.dirname, '../../scripts/build-guests.sh')], { timeout: 120_000 });
  strata = await startStrata();
  admin = strata.adminEnv;
  scratch = mkdtempSync(join(tmpdir(), 'strata-events-e2e-'));
  await openstackJson(admin, ['image', 'create', '--file', guestImages.biosRaw, '--disk-format', 'raw', '--container-format', 'bare', '--property', 'strata_boot_marker=STRATA-GUEST-DONE', '--public', 'events-guest']);
}, 300_000);
afterAll(async () => {
  if (strata && serverId) await stopServerVms(strata.dataDir, [serverId]);
  await strata?.stop();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

describe('server events and the signed audit export after a launch and a delete', { timeout: 300_000 }, () => {
  it('shows the create with its steps while the server is ACTIVE', async () => {
    const server = await openstackJson(admin, ['server', 'create', '--image', 'events-guest', '--flavor', 'm1.tiny', '--wait', 'audited-server']);
    expect(server.status).toBe('ACTIVE');
    serverId = server.id as string;
    const events = await openstackJson<Row[]>(admin, ['server', 'event', 'list', 'audited-server']);
    expect(events.map((row) => [row.Action, row['Server ID']])).toEqual([['create', serverId]]);
    const requestId = events[0]!['Request ID'] as string;
    expect(requestId).toMatch(/^req-[0-9a-f-]{36}$/);
    const shown = await openstackJson<Action>(admin, ['--os-compute-api-version', '2.62', 'server', 'event', 'show', 'audited-server', requestId]);
    expect(shown).toMatchObject({ action: 'create', request_id: requestId, message: null });
    const steps = shown.events.map((event) => [event.event, event.result, event.host]);
    expect(steps).toEqual(expect.arrayContaining([['scheduleInstance', 'Success', 'test-host'], ['createRootDisk', 'Success', 'test-host'], ['waitForBoot', 'Success', 'test-host']]));
    expect(steps.every(([, result]) => result === 'Success')).toBe(true);
  });

  it('adds the snapshot as a createImage action', async () => {
    const snapshot = await openstack(admin, ['server', 'image', 'create', '--name', 'audited-snapshot', '--wait', 'audited-server']);
    expect(snapshot.exitCode, snapshot.stderr).toBe(0);
    const events = await openstackJson<Row[]>(admin, ['server', 'event', 'list', 'audited-server']);
    expect(events.map((row) => row.Action)).toEqual(['createImage', 'create']);
    const shown = await openstackJson<Action>(admin, ['--os-compute-api-version', '2.51', 'server', 'event', 'show', 'audited-server', events[0]!['Request ID'] as string]);
    expect(shown.message).toBeNull();
    expect(shown.events.length).toBeGreaterThan(0);
    expect(shown.events.every((event) => event.result === 'Success')).toBe(true);
  });

  it('keeps the history after the delete: create, createImage and delete, listed newest first', async () => {
    const deleted = await openstack(admin, ['server', 'delete', '--wait', serverId]);
    expect(deleted.exitCode, deleted.stderr).toBe(0);
    const events = await openstackJson<Row[]>(admin, ['--os-compute-api-version', '2.21', 'server', 'event', 'list', serverId, '--long']);
    expect(events.map((row) => row.Action)).toEqual(['delete', 'createImage', 'create']);
    expect(events.every((row) => row['User ID'] && row['Project ID'])).toBe(true);
    const removal = await openstackJson<Action>(admin, ['--os-compute-api-version', '2.21', 'server', 'event', 'show', serverId, events[0]!['Request ID'] as string]);
    expect(removal.events.map((event) => event.event)).toContain('recordInstanceDeleted');
    // The metrics saw the same history through the log.
    await waitUntil('delete measured', async () => /strata_operations_total\{operation="delete",outcome="success"\} 1/.test(await (await fetch(`${strata.apiUrl}/metrics`)).text()), { timeoutMs: 15_000 });
    const metrics = await (await fetch(`${strata.apiUrl}/metrics`)).text();
    expect(metrics).toMatch(/strata_operations_total\{operation="launch",outcome="success"\} 1/);
    expect(metrics).toMatch(/strata_operations_total\{operation="snapshot",outcome="success"\} 1/);
    expect(metrics).toMatch(/strata_image_cache_requests_total\{host="test-host",result="miss"\} 1/);
  });

  it('exports the instance stream signed; it verifies offline, and one altered line fails naming it', async () => {
    const exported = join(scratch, 'instance.jsonl');
    const written = await strataCli(['audit', 'export', `instance-${serverId}`, '--out', exported], strata.env);
    expect(written.exitCode, written.stderr).toBe(0);
    const lines = readFileSync(exported, 'utf8').trimEnd().split('\n');
    const types = lines.slice(1, -1).map((line) => (JSON.parse(line) as { type: string }).type);
    expect(types[0]).toBe('InstanceRequested.v1');
    expect(types).toContain('InstanceBooted.v1');
    expect(types).toContain('InstanceSnapshotEnded.v1');
    expect(types.at(-1)).toBe('InstanceDeleted.v1');
    // Offline: a data dir with no event store, only the file and the key.
    const offline = { STRATA_DATA_DIR: mkdtempSync(join(scratch, 'offline-')) };
    const key = join(strata.dataDir, 'audit-signing.key');
    const verified = await strataCli(['audit', 'verify-export', exported, '--key', key], offline);
    expect(verified.exitCode, verified.stderr).toBe(0);
    expect(verified.stdout).toContain(`${types.length} events of instance-${serverId}`);
    const booted = types.indexOf('InstanceBooted.v1') + 2;
    const altered = join(scratch, 'altered.jsonl');
    writeFileSync(altered, `${lines.map((line, index) => (index + 1 === booted ? line.replace(/"launchedAt":"[^"]+"/, '"launchedAt":"2000-01-01T00:00:00.000Z"') : line)).join('\n')}\n`);
    expect(readFileSync(altered, 'utf8')).toContain('2000-01-01T00:00:00.000Z');
    const refused = await strataCli(['audit', 'verify-export', altered, '--key', key], offline);
    expect(refused.exitCode).toBe(1);
    expect(refused.stderr).toContain(`verification FAILED at line ${booted}`);
  });

  it('serves the same history to an admin through GET /ops/v1/audit/{stream}', async () => {
    const token = (await openstackJson(admin, ['token', 'issue'])).id as string;
    const response = await fetch(`${strata.apiUrl}/ops/v1/audit/instance-${serverId}`, { headers: { 'x-auth-token': token } });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { events: Array<{ type: string; metadata: { actor: { userId: string } | null; workflowId: string | null } }> };
    expect(body.events[0]!.metadata.actor?.userId).toBeTruthy();
    expect(body.events.some((event) => event.metadata.workflowId === `launch-${serverId}`)).toBe(true);
    expect(body.events.at(-1)!.type).toBe('InstanceDeleted.v1');
  });
});
