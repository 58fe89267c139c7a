// `strata image upload`: a local file becomes an active image through the real API, and
// the progress line says how far it got.
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { imageCommand, progressLine } from '../../cli/commands/image.js';
import { freePort } from '../support/ports.js';
import { openImageHarness, type ImageHarness } from './support/image-harness.js';

let h: ImageHarness;
beforeAll(async () => {
  const port = await freePort();
  h = await openImageHarness({ api: { host: '127.0.0.1', port } });
  await h.api.app.listen({ host: '127.0.0.1', port });
});
afterAll(async () => {
  await h.close();
});

describe('strata image upload', () => {
  it('creates the image, uploads the file and leaves it active with the file\'s checksum', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'strata-cli-')), 'disk.raw');
    const data = randomBytes(3 * 1024 * 1024 + 5);
    writeFileSync(file, data);
    const code = await imageCommand.run(['upload', file, '--name', 'from-cli', '--property', 'os_distro=cirros', '--property', 'note=a=b'], { config: h.api.config });
    expect(code).toBe(0);
    const listed = (await h.admin.call('GET', '/v2/images?name=from-cli')).json<{ images: Array<Record<string, unknown>> }>().images;
    expect(listed).toEqual([
      expect.objectContaining({ status: 'active', disk_format: 'raw', size: data.length, checksum: createHash('md5').update(data).digest('hex'), os_distro: 'cirros', note: 'a=b' }),
    ]);
  });

  it('refuses bad arguments with its usage', async () => {
    expect(await imageCommand.run(['upload', '--name', 'x'], { config: h.api.config })).toBe(2);
    expect(await imageCommand.run(['download', 'x'], { config: h.api.config })).toBe(2);
    expect(await imageCommand.run(['upload', 'f', '--name', 'x', '--property', 'novalue'], { config: h.api.config })).toBe(2);
  });

  it('reports a missing file as a failure', async () => {
    expect(await imageCommand.run(['upload', '/nonexistent/disk.raw', '--name', 'x'], { config: h.api.config })).toBe(1);
  });
});

describe('progressLine', () => {
  it.each([
    [0, 100 * 1024 * 1024, 0, '[------------------------------]   0% 0.0/100.0 MiB 0.0 MiB/s'],
    [50 * 1024 * 1024, 100 * 1024 * 1024, 2, '[###############---------------]  50% 50.0/100.0 MiB 25.0 MiB/s ETA 2s'],
    [100 * 1024 * 1024, 100 * 1024 * 1024, 4, '[##############################] 100% 100.0/100.0 MiB 25.0 MiB/s ETA 0s'],
    [0, 0, 0, '[##############################] 100% 0.0/0.0 MiB 0.0 MiB/s'],
  ])('%d of %d bytes after %d s', (done, total, seconds, line) => {
    expect(progressLine(done, total, seconds)).toBe(line);
  });
});
