// The operator's retry of a failed boot, end to end: `strata up`, the real `openstack`
// CLI and the real `strata` CLI. An image whose guest never prints its boot marker leaves
// the server in ERROR with the fault; `openstack server event list|show` shows the create
// and its failed step; `strata failures` lists it as awaiting a decision with a link to the
// run in the Temporal UI; the image is fixed (`openstack image set --property`), `strata
// retry` boots it to ACTIVE as a new attempt, and the history names the operator who
// retried. Then: a second retry is refused (409), the run replays against the current code
// (`strata workflow replay`), and os-resetState moves vm_state by hand.
import { execa } from 'execa';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hostLayout } from '../../activities/launch/host-layout.js';
import { adoptVm, stopVm } from '../../hypervisor/vm-process.js';
import { waitUntil } from '../../runtime/wait.js';
import { searchAttributes } from '../../workflows/search-attributes.js';
import { guestImages } from '../hypervisor/guest-lab.js';
import { openstack, openstackJson } from '../support/openstack.js';
import { startStrata, type RunningStrata } from '../support/strata-up.js';
import { saveOneRunPerType } from '../histories/save.js';

const REPO = join(import.meta.dirname, '../..');
let strata: RunningStrata;
let admin: Record<string, string>;
let serverId: string | undefined;

/** The real `strata` CLI, as an operator runs it with the `export OS_…` block `strata up` printed. */
async function strataCli(args: string[]) {
  const result = await execa('node', ['--import', 'tsx', 'cli/main.ts', ...args], { cwd: REPO, env: { ...strata.env, ...admin }, reject: false, timeout: 120_000 });
  return { exitCode: result.exitCode ?? -1, stdout: String(result.stdout), stderr: String(result.stderr) };
}

async function opsGet<T>(path: string): Promise<T> {
  const token = (await openstackJson<{ id: string }>(admin, ['token', 'issue'])).id;
  const response = await fetch(`${strata.apiUrl}/ops/v1${path}`, { headers: { 'x-auth-token': token } });
  expect(response.status, path).toBe(200);
  return (await response.json()) as T;
}

const serverStatus = async (id: string) => (await openstackJson(admin, ['server', 'show', id])).status as string;

beforeAll(async () => {
  await execa('bash', [join(REPO, 'scripts/build-guests.sh')], { timeout: 120_000 });
  strata = await startStrata({ STRATA_COMPUTE_BOOT_TIMEOUT_SECONDS: '4', STRATA_COMPUTE_FAILED_BOOT_DECISION_SECONDS: '600' });
  admin = strata.adminEnv;
  await openstackJson(admin, ['image', 'create', '--file', guestImages.biosRaw, '--disk-format', 'raw', '--container-format', 'bare', '--property', 'strata_boot_marker=NEVER-PRINTED', '--public', 'wrong-marker']);
}, 300_000);

afterAll(async () => {
  if (strata && serverId) {
    const vm = await adoptVm(hostLayout(join(strata.dataDir, 'hosts', 'test-host')).instance(serverId).dir);
    if (vm) await stopVm(vm);
  }
  await strata?.stop();
});

describe('retrying a failed boot', () => {
  it('ERROR with the fault → event list → failures → fix the image → strata retry → ACTIVE with both attempts and the operator', { timeout: 300_000 }, async () => {
    const created = await openstack(admin, ['server', 'create', '--image', 'wrong-marker', '--flavor', 'm1.tiny', '--wait', 'e2e-retry']);
    // This openstackclient reports a server that went to ERROR on stderr (its exit code stays 0).
    expect(`${created.stdout}\n${created.stderr}`).toContain('Error creating server: e2e-retry');
    const failed = await openstackJson(admin, ['server', 'show', 'e2e-retry']);
    serverId = failed.id as string;
    expect(failed.status).toBe('ERROR');
    expect(failed.fault).toMatchObject({ code: 500, message: expect.stringContaining('NEVER-PRINTED'), details: expect.stringContaining('launch step waitForBoot failed on host test-host') });

    const actions = await openstackJson<Array<Record<string, unknown>>>(admin, ['server', 'event', 'list', '--long', serverId]);
    expect(actions).toEqual([expect.objectContaining({ Action: 'create', Message: 'Error' })]);
    const createAction = await openstackJson(admin, ['server', 'event', 'show', serverId, actions[0]?.['Request ID'] as string]);
    expect(JSON.stringify(createAction.events)).toContain('waitForBoot');

    const listed = await strataCli(['failures', '--json']);
    expect(listed.exitCode, listed.stderr).toBe(0);
    const { failures } = JSON.parse(listed.stdout) as { failures: Array<Record<string, unknown>> };
    const failure = failures.find((entry) => entry.instance_id === serverId);
    expect(failure).toMatchObject({ operation: 'launch', step: 'waitForBoot', host: 'test-host', awaiting_decision: true, workflow_id: `launch-${serverId}` });
    expect(failure?.workflow_url).toBe(`${strata.uiUrl}/namespaces/default/workflows/launch-${serverId}/${String(failure?.run_id)}/history`);
    expect((await fetch(String(failure?.workflow_url))).status).toBe(200);

    const fixed = await openstack(admin, ['image', 'set', '--property', 'strata_boot_marker=STRATA-GUEST-DONE', 'wrong-marker']);
    expect(fixed.exitCode, fixed.stderr).toBe(0);
    const retried = await strataCli(['retry', serverId]);
    expect(retried.exitCode, retried.stderr).toBe(0);
    expect(retried.stdout).toMatch(/retrying as attempt \d+/);

    const id = serverId;
    await waitUntil('the retried server to be ACTIVE', async () => (await serverStatus(id)) === 'ACTIVE', { timeoutMs: 90_000, intervalMs: 1000 });
    const consoleLog = await openstack(admin, ['console', 'log', 'show', id]);
    expect(consoleLog.stdout).toContain('STRATA-GUEST-DONE');
    const events = await openstackJson<Array<Record<string, unknown>>>(admin, ['server', 'event', 'list', '--long', serverId]);
    expect(events.map((action) => action.Action).sort()).toEqual(['create', 'retry']);
    const retryAction = events.find((action) => action.Action === 'retry');
    const adminUser = await openstackJson(admin, ['user', 'show', admin.OS_USERNAME as string]);
    expect(retryAction).toMatchObject({ Message: null });

    const { events: history } = await opsGet<{ events: Array<{ type: string; data: Record<string, unknown>; metadata: Record<string, unknown> }> }>(`/audit/instance-${serverId}`);
    const scheduled = history.filter((event) => event.type === 'InstanceScheduled.v1').map((event) => event.data.attempt as number);
    expect(scheduled).toHaveLength(2);
    const retryEvent = history.find((event) => event.type === 'InstanceRetryRequested.v1');
    expect(retryEvent?.metadata).toMatchObject({ actor: expect.objectContaining({ userId: adminUser.id }), workflowId: `launch-${serverId}` });
    expect(retryEvent?.data.attempt).toBe(scheduled[1]);
    expect(history.map((event) => event.type).slice(-7)).toEqual(['InstanceLaunchFailed.v1', 'InstanceRetryRequested.v1', 'InstanceScheduled.v1', 'RootDiskCreated.v1', 'InstanceSpawning.v1', 'VmStarted.v1', 'InstanceBooted.v1']);
    expect((await opsGet<{ failures: Array<{ instance_id: string }> }>('/failures')).failures.map((entry) => entry.instance_id)).not.toContain(serverId);
  });

  it('refuses a second retry (409), replays the run, and resets the state by hand', { timeout: 180_000 }, async () => {
    const id = serverId as string;
    const again = await strataCli(['retry', id]);
    expect(again.exitCode).toBe(1);
    expect(again.stderr).toMatch(/Cannot retry instance .* while it is active.*\(HTTP 409\)/);

    const unknown = await strataCli(['retry', '00000000-0000-4000-8000-000000000000']);
    expect(unknown.exitCode).toBe(1);
    expect(unknown.stderr).toMatch(/could not be found.*\(HTTP 404\)/);
    const token = (await openstackJson<{ id: string }>(admin, ['token', 'issue'])).id;
    const badState = await fetch(`${strata.apiUrl}/compute/v2.1/servers/${id}/action`, {
      method: 'POST',
      headers: { 'x-auth-token': token, 'content-type': 'application/json' },
      body: JSON.stringify({ 'os-resetState': { state: 'deleted' } }),
    });
    expect(badState.status).toBe(400);
    expect(await badState.json()).toMatchObject({ badRequest: { code: 400, message: expect.stringContaining('os-resetState') } });

    const replay = await strataCli(['workflow', 'replay', `launch-${id}`]);
    expect(replay.exitCode, replay.stderr).toBe(0);
    expect(replay.stdout).toContain(`launch-${id}: ok`);

    const toError = await openstack(admin, ['server', 'set', '--state', 'error', id]);
    expect(toError.exitCode, toError.stderr).toBe(0);
    expect(await serverStatus(id)).toBe('ERROR');
    // ERROR by hand, but no launch waits for a decision: the retry is refused, nothing recorded.
    const refused = await strataCli(['retry', id]);
    expect(refused.exitCode).toBe(1);
    expect(refused.stderr).toMatch(/not awaiting an operator decision.*\(HTTP 409\)/);
    const toActive = await openstack(admin, ['server', 'set', '--state', 'active', id]);
    expect(toActive.exitCode, toActive.stderr).toBe(0);
    expect(await serverStatus(id)).toBe('ACTIVE');
    const { events: history } = await opsGet<{ events: Array<{ type: string }> }>(`/audit/instance-${id}`);
    expect(history.filter((event) => event.type === 'InstanceRetryRequested.v1')).toHaveLength(1);
    expect(history.filter((event) => event.type === 'InstanceStateReset.v1')).toHaveLength(2);

    const deleted = await openstack(admin, ['server', 'delete', '--wait', id]);
    expect(deleted.exitCode, deleted.stderr).toBe(0);
  });

  it('every workflow strata ran carries its search attributes', { timeout: 180_000 }, async () => {
    for (const args of [['cache', 'list'], ['cache', 'prune']]) {
      const run = await strataCli(args);
      expect(run.exitCode, run.stderr).toBe(0);
    }
    // STRATA_SAVE_HISTORIES=1 keeps one run of each type as its saved history (test/histories).
    const types = await saveOneRunPerType(`127.0.0.1:${strata.env.STRATA_TEMPORAL_DEV_SERVER_PORT}`, 'strata-up', (run) => {
      expect(run.typedSearchAttributes.get(searchAttributes.operation), `${run.type} ${run.workflowId}`).toBeDefined();
    });
    expect([...types]).toEqual(expect.arrayContaining(['launchInstance', 'deleteInstance', 'consoleOutput', 'listImageCache', 'pruneImageCache']));
  });
});
