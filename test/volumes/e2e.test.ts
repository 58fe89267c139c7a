// The real `openstack volume` commands against `strata up`: create a 1 GB volume and see
// it become available, list, show and delete it; bad sizes and another project's volume
// are refused. The node's tgtd gets a free port of this file's own (STRATA_STORAGE_ISCSI_PORT).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { volumeFilePath } from '../../activities/storage/volume-files.js';
import { waitUntil } from '../../runtime/wait.js';
import { adoptTgtd, stopTgtd } from '../../storage/tgt/tgtd-process.js';
import { openstack, openstackJson } from '../support/openstack.js';
import { freePort } from '../support/ports.js';
import { startStrata, type RunningStrata } from '../support/strata-up.js';
import { searchAttributes } from '../../workflows/search-attributes.js';
import { saveOneRunPerType } from '../histories/save.js';
import { ok, type Row, waitForVolumeStatus } from './volume-cli.js';


let strata: RunningStrata;
let admin: Record<string, string>;
let iscsiPort: number;

const waitForStatus = waitForVolumeStatus;

beforeAll(async () => {
  iscsiPort = await freePort();
  strata = await startStrata({ STRATA_STORAGE_ISCSI_PORT: String(iscsiPort) });
  admin = strata.adminEnv;
}, 300_000);

afterAll(async () => {
  await strata?.stop();
  // tgtd outlives the storage worker by design (exports must); this test's own is stopped here.
  const tgtd = strata && (await adoptTgtd({ stateDir: join(strata.dataDir, 'volumes', 'test-node', '.tgt'), address: '127.0.0.1', port: iscsiPort }));
  if (tgtd) await stopTgtd(tgtd);
});

describe('openstack volume commands against strata up', { timeout: 180_000 }, () => {
  it('creates a volume that becomes available, lists, shows and deletes it', async () => {
    const created = await openstackJson(admin, ['volume', 'create', '--size', '1', '--description', 'e2e volume', 'v1']);
    expect(created).toMatchObject({ name: 'v1', size: 1, description: 'e2e volume' });
    const id = created.id as string;

    const shown = await waitForStatus(admin, id, 'available');
    expect(shown).toMatchObject({ id, name: 'v1', size: 1, bootable: 'false', encrypted: false, attachments: [] });
    expect(existsSync(volumeFilePath(join(strata.dataDir, 'volumes', 'test-node'), id))).toBe(true);

    const list = await openstackJson<Row[]>(admin, ['volume', 'list']);
    expect(list).toContainEqual(expect.objectContaining({ ID: id, Name: 'v1', Status: 'available', Size: 1 }));

    await ok(admin, ['volume', 'delete', id]);
    await waitUntil(`volume ${id} to be gone`, async () => (await openstack(admin, ['volume', 'show', id])).exitCode !== 0, { timeoutMs: 60_000, intervalMs: 500 });
    const gone = await openstack(admin, ['volume', 'show', id]);
    expect(gone.stderr).toMatch(/No volume with a name or ID of '[^']+' exists|could not be found/);
    expect(existsSync(volumeFilePath(join(strata.dataDir, 'volumes', 'test-node'), id))).toBe(false);
  });

  it('refuses sizes 0, -1 and huge with 400', async () => {
    for (const size of ['0', '-1', '999999999999']) {
      const result = await openstack(admin, ['volume', 'create', '--size', size, `bad-${size}`]);
      expect(result.exitCode, size).not.toBe(0);
      expect(result.stderr, size).toMatch(/HTTP 400/);
    }
    expect(await openstackJson<Row[]>(admin, ['volume', 'list'])).not.toContainEqual(expect.objectContaining({ Name: 'bad-0' }));
  });

  it('hides a volume from another project', async () => {
    await ok(admin, ['project', 'create', 'vol-other']);
    await ok(admin, ['user', 'create', '--password', 'other-secret', '--project', 'vol-other', 'vol-other-user']);
    await ok(admin, ['role', 'add', '--user', 'vol-other-user', '--project', 'vol-other', 'member']);
    const other = { ...admin, OS_USERNAME: 'vol-other-user', OS_PASSWORD: 'other-secret', OS_PROJECT_NAME: 'vol-other' };

    const own = await openstackJson(admin, ['volume', 'create', '--size', '1', 'admins']);
    const show = await openstack(other, ['volume', 'show', own.id as string]);
    expect(show.exitCode).not.toBe(0);
    expect(show.stderr).toMatch(/No volume with a name or ID|could not be found/);
    const remove = await openstack(other, ['volume', 'delete', own.id as string]);
    expect(remove.exitCode).not.toBe(0);
    expect((await openstackJson<Row[]>(other, ['volume', 'list'])).map((row) => row.ID)).not.toContain(own.id);
    await waitForStatus(admin, own.id as string, 'available');
  });

  it('saves one run of each workflow type it ran (STRATA_SAVE_HISTORIES=1), each tagged with its operation', async () => {
    const types = await saveOneRunPerType(`127.0.0.1:${strata.env.STRATA_TEMPORAL_DEV_SERVER_PORT}`, 'volume-e2e', (run) => {
      expect(run.typedSearchAttributes.get(searchAttributes.operation), `${run.type} ${run.workflowId}`).toBeDefined();
    });
    expect([...types]).toEqual(expect.arrayContaining(['createVolume', 'deleteVolume']));
  });
});
