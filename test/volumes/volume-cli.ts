// The `openstack` calls the volume e2e tests share: run one that must succeed, and wait
// for a volume to reach a status.
import { waitUntil } from '../../runtime/wait.js';
import { openstack, openstackJson } from '../support/openstack.js';

export type Row = Record<string, unknown>;

export async function ok(env: Record<string, string>, args: string[]): Promise<string> {
  const result = await openstack(env, args);
  if (result.exitCode !== 0) throw new Error(`openstack ${args.join(' ')} failed (${result.exitCode}): ${result.stderr}`);
  return result.stdout;
}

export async function waitForVolumeStatus(env: Record<string, string>, id: string, status: string, timeoutMs = 60_000): Promise<Row> {
  let shown: Row = {};
  await waitUntil(`volume ${id} to be ${status}`, async () => {
    shown = await openstackJson(env, ['volume', 'show', id]);
    return shown.status === status;
  }, { timeoutMs, intervalMs: 500 });
  return shown;
}
