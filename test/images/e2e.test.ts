// The real `openstack` CLI against `strata up`: an image's whole life (create with data,
// list, show, set, unset, save, share across projects, import, delete) as a user would
// live it. This CLI has no `image import`, so that one step speaks HTTP.
import { execa } from 'execa';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitUntil } from '../../runtime/wait.js';
import { openstack, openstackJson } from '../support/openstack.js';
import { startStrata, type RunningStrata } from '../support/strata-up.js';

type Row = Record<string, unknown>;

let strata: RunningStrata;
let admin: Record<string, string>;
const dir = mkdtempSync(join(tmpdir(), 'strata-image-e2e-'));
const qcow2 = join(dir, 'disk.qcow2');
// Without --file the CLI reads image data from its stdin, which a test cannot close.
const tiny = join(dir, 'tiny.raw');

beforeAll(async () => {
  await execa('qemu-img', ['create', '-q', '-f', 'qcow2', qcow2, '32M']);
  writeFileSync(tiny, 'tiny raw disk');
  strata = await startStrata({ STRATA_IMAGES_WEB_DOWNLOAD_ALLOW_LIST: '127.0.0.1' });
  admin = strata.adminEnv;
}, 180_000);
afterAll(async () => {
  await strata.stop();
});

async function ok(env: Record<string, string>, args: string[]): Promise<string> {
  const result = await openstack(env, args);
  if (result.exitCode !== 0) throw new Error(`openstack ${args.join(' ')} failed (${result.exitCode}): ${result.stderr}`);
  return result.stdout;
}

describe('openstack image commands against strata up', { timeout: 240_000 }, () => {
  let imageId = '';

  it('creates an image from a file with formats and properties', async () => {
    const image = await openstackJson(admin, ['image', 'create', '--file', qcow2, '--disk-format', 'qcow2', '--container-format', 'bare', '--property', 'os_distro=cirros', '--property', 'hw_disk_bus=virtio', 'e2e-cirros']);
    imageId = image.id as string;
    // The CLI prints the image as created, before its data was uploaded.
    expect(image).toMatchObject({ name: 'e2e-cirros', disk_format: 'qcow2', container_format: 'bare', visibility: 'shared' });
    const shown = await openstackJson(admin, ['image', 'show', imageId]);
    const bytes = readFileSync(qcow2);
    expect(shown).toMatchObject({ size: bytes.length, checksum: createHash('md5').update(bytes).digest('hex'), status: 'active' });
    expect(shown.properties).toMatchObject({ os_distro: 'cirros', hw_disk_bus: 'virtio', os_hash_algo: 'sha512', os_hash_value: createHash('sha512').update(bytes).digest('hex') });
    expect(shown.virtual_size ?? (shown.properties as Row).virtual_size).toBe(32 * 1024 * 1024);
  });

  it('lists with --long, --property, --sort and --limit/--marker', async () => {
    for (const name of ['e2e-b', 'e2e-a']) await ok(admin, ['image', 'create', '--file', tiny, '--disk-format', 'raw', '--container-format', 'bare', '--property', 'batch=list', name]);
    const long = await openstackJson<Row[]>(admin, ['image', 'list', '--long']);
    expect(long.find((row) => row.ID === imageId)).toMatchObject({ Name: 'e2e-cirros', 'Disk Format': 'qcow2', 'Container Format': 'bare', Status: 'active' });
    const filtered = await openstackJson<Row[]>(admin, ['image', 'list', '--property', 'batch=list']);
    expect(filtered.map((row) => row.Name).sort()).toEqual(['e2e-a', 'e2e-b']);
    const sorted = await openstackJson<Row[]>(admin, ['image', 'list', '--sort', 'name:asc']);
    expect(sorted.map((row) => row.Name)).toEqual(['e2e-a', 'e2e-b', 'e2e-cirros']);
    const first = await openstackJson<Row[]>(admin, ['image', 'list', '--sort', 'name:asc', '--limit', '1']);
    expect(first.map((row) => row.Name)).toEqual(['e2e-a']);
    const next = await openstackJson<Row[]>(admin, ['image', 'list', '--sort', 'name:asc', '--limit', '1', '--marker', first[0]?.ID as string]);
    expect(next.map((row) => row.Name)).toEqual(['e2e-b']);
  });

  it('sets and unsets name, properties, tags, protection and status', async () => {
    await ok(admin, ['image', 'set', '--name', 'e2e-renamed', '--property', 'os_version=0.6', '--tag', 'tiny', '--protected', imageId]);
    let shown = await openstackJson(admin, ['image', 'show', imageId]);
    expect(shown).toMatchObject({ name: 'e2e-renamed', protected: true, tags: ['tiny'] });
    expect(shown.properties).toMatchObject({ os_version: '0.6' });
    const refused = await openstack(admin, ['image', 'delete', imageId]);
    expect(refused.exitCode).not.toBe(0);
    await ok(admin, ['image', 'unset', '--property', 'os_version', imageId]);
    shown = await openstackJson(admin, ['image', 'show', imageId]);
    expect(shown.properties).not.toHaveProperty('os_version');
    await ok(admin, ['image', 'set', '--deactivate', imageId]);
    expect((await openstackJson(admin, ['image', 'show', imageId])).status).toBe('deactivated');
    await ok(admin, ['image', 'set', '--activate', '--unprotected', imageId]);
    expect(await openstackJson(admin, ['image', 'show', imageId])).toMatchObject({ status: 'active', protected: false });
  });

  it('saves the image data byte for byte', async () => {
    const saved = join(dir, 'saved.qcow2');
    await ok(admin, ['image', 'save', '--file', saved, imageId]);
    expect(readFileSync(saved).equals(readFileSync(qcow2))).toBe(true);
    const shown = await openstackJson(admin, ['image', 'show', imageId]);
    expect(createHash('md5').update(readFileSync(saved)).digest('hex')).toBe(shown.checksum);
    expect(createHash('sha512').update(readFileSync(saved)).digest('hex')).toBe((shown.properties as Row).os_hash_value);
  });

  it('shares an image with another project, which accepts it; a member may not make it public', async () => {
    await ok(admin, ['project', 'create', 'e2e-other']);
    await ok(admin, ['user', 'create', '--password', 'other-secret', '--project', 'e2e-other', 'e2e-other-user']);
    await ok(admin, ['role', 'add', '--user', 'e2e-other-user', '--project', 'e2e-other', 'member']);
    const other = { ...admin, OS_USERNAME: 'e2e-other-user', OS_PASSWORD: 'other-secret', OS_PROJECT_NAME: 'e2e-other' };

    const own = await openstackJson(other, ['image', 'create', '--file', tiny, '--disk-format', 'raw', '--container-format', 'bare', 'e2e-own']);
    const publicize = await openstack(other, ['image', 'set', '--public', own.id as string]);
    expect(publicize.exitCode).not.toBe(0);
    expect(publicize.stderr).toMatch(/403/);

    expect((await openstackJson<Row[]>(other, ['image', 'list'])).map((row) => row.ID)).not.toContain(imageId);
    await ok(admin, ['image', 'add', 'project', imageId, 'e2e-other']);
    expect((await openstackJson<Row[]>(other, ['image', 'list'])).map((row) => row.ID)).not.toContain(imageId);
    await ok(other, ['image', 'set', '--accept', imageId]);
    expect((await openstackJson<Row[]>(other, ['image', 'list'])).map((row) => row.ID)).toContain(imageId);
    const saved = join(dir, 'shared.qcow2');
    await ok(other, ['image', 'save', '--file', saved, imageId]);
    expect(readFileSync(saved).equals(readFileSync(qcow2))).toBe(true);

    await ok(admin, ['image', 'set', '--public', own.id as string]);
    expect((await openstackJson(other, ['image', 'show', own.id as string])).visibility).toBe('public');
  });

  it('an admin moves an image to another project with --project; that project\'s member may not give it back', async () => {
    const other = { ...admin, OS_USERNAME: 'e2e-other-user', OS_PASSWORD: 'other-secret', OS_PROJECT_NAME: 'e2e-other' };
    const image = await openstackJson(admin, ['image', 'create', '--file', tiny, '--disk-format', 'raw', '--container-format', 'bare', '--private', 'e2e-moving']);
    const id = image.id as string;
    expect((await openstackJson<Row[]>(other, ['image', 'list'])).map((row) => row.ID)).not.toContain(id);
    await ok(admin, ['image', 'set', '--project', 'e2e-other', id]);
    const [otherProject, adminProject] = [await openstackJson(admin, ['project', 'show', 'e2e-other']), await openstackJson(admin, ['project', 'show', 'admin'])];
    expect(await openstackJson(other, ['image', 'show', id])).toMatchObject({ owner: otherProject.id, visibility: 'private' });
    expect((await openstackJson<Row[]>(other, ['image', 'list'])).map((row) => row.ID)).toContain(id);
    const back = await openstack(other, ['image', 'set', '--project', adminProject.id as string, id]);
    expect(back.exitCode).not.toBe(0);
    expect(back.stderr).toMatch(/403.*Owner can't be updated by non admin/s);
    expect((await openstackJson(other, ['image', 'show', id])).owner).toBe(otherProject.id);
  });

  it('imports with web-download through the control worker of strata up', async () => {
    const source = createServer((_request, response) => response.end(readFileSync(qcow2)));
    await new Promise<void>((resolve) => source.listen(0, '127.0.0.1', resolve));
    try {
      const token = (await openstackJson(admin, ['token', 'issue'])).id as string;
      const headers = { 'x-auth-token': token, 'content-type': 'application/json' };
      const created = await fetch(`${strata.apiUrl}/image/v2/images`, { method: 'POST', headers, body: JSON.stringify({ name: 'e2e-web', disk_format: 'qcow2', container_format: 'bare' }) });
      const { id } = (await created.json()) as { id: string };
      const uri = `http://127.0.0.1:${(source.address() as AddressInfo).port}/disk.qcow2`;
      const started = await fetch(`${strata.apiUrl}/image/v2/images/${id}/import`, { method: 'POST', headers, body: JSON.stringify({ method: { name: 'web-download', uri } }) });
      expect(started.status).toBe(202);
      await waitUntil('the imported image to be active', async () => (await openstackJson(admin, ['image', 'show', id])).status === 'active', { timeoutMs: 60_000, intervalMs: 1_000 });
      expect(await openstackJson(admin, ['image', 'show', id])).toMatchObject({ size: readFileSync(qcow2).length, checksum: createHash('md5').update(readFileSync(qcow2)).digest('hex') });
    } finally {
      source.close();
    }
  });

  it('deletes the image', async () => {
    await ok(admin, ['image', 'delete', imageId]);
    const gone = await openstack(admin, ['image', 'show', imageId]);
    expect(gone.exitCode).not.toBe(0);
    expect((await openstackJson<Row[]>(admin, ['image', 'list'])).map((row) => row.ID)).not.toContain(imageId);
  });
});
