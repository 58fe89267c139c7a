// Format inspection against images made by the real qemu-img, plus the ISO 9660 header
// (no ISO tool on these machines, so its descriptor is written by hand).
import { execa } from 'execa';
import { mkdtempSync, openSync, closeSync, writeSync, ftruncateSync, readdirSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DomainError } from '../../../domain/decider.js';
import type { DiskFormat } from '../../../domain/image/vocabulary.js';
import { checkDeclaredFormat } from '../../../imagestore/format-check.js';
import { inspectFormat } from '../../../imagestore/format-inspection.js';
import type { FormatReport } from '../../../imagestore/format-inspection.js';
import { imageFileOf } from '../../../imagestore/image-file.js';

const dir = mkdtempSync(join(tmpdir(), 'strata-formats-'));
const MiB = 1024 * 1024;

async function inspect(path: string): Promise<FormatReport> {
  const handle = await open(path, 'r');
  try {
    return await inspectFormat(imageFileOf(handle, (await handle.stat()).size));
  } finally {
    await handle.close();
  }
}

async function qemuImg(name: string, args: string[]): Promise<string> {
  const path = join(dir, name);
  await execa('qemu-img', ['create', '-q', ...args.map((arg) => arg.replace('@', path))]);
  return path;
}

function isoFile(blocks: number): string {
  const path = join(dir, 'disc.iso');
  const descriptor = Buffer.alloc(2048);
  descriptor[0] = 1;
  descriptor.write('CD001', 1, 'latin1');
  descriptor[6] = 1;
  descriptor.writeUInt32LE(blocks, 80);
  descriptor.writeUInt32BE(blocks, 84);
  descriptor.writeUInt16LE(2048, 128);
  descriptor.writeUInt16BE(2048, 130);
  const fd = openSync(path, 'w');
  writeSync(fd, descriptor, 0, descriptor.length, 16 * 2048);
  ftruncateSync(fd, blocks * 2048);
  closeSync(fd);
  return path;
}

describe('inspectFormat on real images', () => {
  it.each([
    ['qcow2', ['-f', 'qcow2', '@', '64M']],
    ['qcow2 v2 (compat 0.10)', ['-f', 'qcow2', '-o', 'compat=0.10', '@', '64M']],
    ['vmdk', ['-f', 'vmdk', '@', '64M']],
    ['vmdk (streamOptimized)', ['-f', 'vmdk', '-o', 'subformat=streamOptimized', '@', '64M']],
    ['vhd', ['-f', 'vpc', '-o', 'subformat=fixed,force_size=on', '@', '64M']],
    ['vhd (dynamic)', ['-f', 'vpc', '-o', 'force_size=on', '@', '64M']],
    ['vhdx', ['-f', 'vhdx', '@', '64M']],
    ['vdi', ['-f', 'vdi', '@', '64M']],
    ['raw', ['-f', 'raw', '@', '64M']],
  ])('%s', async (label, args) => {
    const path = await qemuImg(label.replace(/\W+/g, '-'), args);
    const report = await inspect(path);
    expect(report).toEqual({ format: label.split(' ')[0], virtualSize: 64 * MiB, unsafe: null });
  });

  it('ISO 9660: virtual size from the primary volume descriptor', async () => {
    expect(await inspect(isoFile(100))).toEqual({ format: 'iso', virtualSize: 100 * 2048, unsafe: null });
  });

  it('flags a qcow2 with a backing file', async () => {
    const base = await qemuImg('base.raw', ['-f', 'raw', '@', '1M']);
    const overlay = await qemuImg('overlay.qcow2', ['-f', 'qcow2', '-b', base, '-F', 'raw', '@', '1M']);
    expect(await inspect(overlay)).toMatchObject({ format: 'qcow2', unsafe: 'qcow2 image has a backing file' });
  });

  it('flags a qcow2 with an external data file', async () => {
    const data = join(dir, 'external.data');
    const image = await qemuImg('external.qcow2', ['-f', 'qcow2', '-o', `data_file=${data}`, '@', '1M']);
    expect((await inspect(image)).unsafe).toMatch(/external data file/);
  });

  it('flags a VMDK whose extents are other files', async () => {
    const descriptor = await qemuImg('flat.vmdk', ['-f', 'vmdk', '-o', 'subformat=monolithicFlat', '@', '1M']);
    expect(readdirSync(dir).some((name) => name.startsWith('flat-flat'))).toBe(true);
    expect(await inspect(descriptor)).toMatchObject({ format: 'vmdk', unsafe: expect.stringMatching(/other files/) as string });
  });
});

describe('checkDeclaredFormat', () => {
  const qcow2: FormatReport = { format: 'qcow2', virtualSize: 10, unsafe: null };
  const raw: FormatReport = { format: 'raw', virtualSize: 3, unsafe: null };
  const iso: FormatReport = { format: 'iso', virtualSize: 4096, unsafe: null };

  it.each([
    ['qcow2', qcow2, 10],
    ['raw', raw, 3],
    ['raw', iso, 4096],
    ['iso', iso, 4096],
    ['aki', qcow2, null],
  ] as const)('accepts %s data declared as it is', (declared, report, virtualSize) => {
    expect(checkDeclaredFormat(declared as DiskFormat, report)).toBe(virtualSize);
  });

  it.each([
    ['raw', qcow2],
    ['qcow2', raw],
    ['iso', raw],
    ['vmdk', qcow2],
  ] as const)('refuses data that is not %s', (declared, report) => {
    expect(() => checkDeclaredFormat(declared, report)).toThrow(DomainError);
  });

  it('refuses unsafe data whatever was declared', () => {
    expect(() => checkDeclaredFormat('aki', { ...qcow2, unsafe: 'qcow2 image has a backing file' })).toThrow(/backing file/);
  });
});
