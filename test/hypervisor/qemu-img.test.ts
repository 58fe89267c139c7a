// qemu-img wrappers against the real tool: overlays keep the base intact and name it
// absolutely, info reports what a safety check needs, convert flattens, check judges.
import { execa } from 'execa';
import { writeFile } from 'node:fs/promises';
import { relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { check, convert, createDisk, createOverlay, info, QemuImgError } from '../../hypervisor/qemu-img.js';
import { guestImages, sha256File, useGuestLab } from './guest-lab.js';

const MiB = 1024 * 1024;
const lab = useGuestLab();

describe('qemu-img', () => {
  it('creates an overlay that names its base by absolute path and format', async () => {
    const overlay = lab.path('overlay.qcow2');
    await createOverlay(relative(process.cwd(), guestImages.biosRaw), 'raw', overlay, 4 * MiB);
    expect(await info(overlay, { format: 'qcow2' })).toMatchObject({
      format: 'qcow2',
      virtualSize: 4 * MiB,
      backingFilename: guestImages.biosRaw,
      backingFormat: 'raw',
      dataFile: undefined,
      encrypted: false,
    });
  });

  it('defaults an overlay to its base’s size', async () => {
    const overlay = lab.path('same-size.qcow2');
    await createOverlay(guestImages.biosQcow2, 'qcow2', overlay);
    expect((await info(overlay, { format: 'qcow2' })).virtualSize).toBe(MiB);
  });

  it('reads an image as the stated format instead of probing it', async () => {
    const overlay = lab.path('as-raw.qcow2');
    await createOverlay(guestImages.biosRaw, 'raw', overlay);
    expect(await info(overlay, { format: 'raw' })).toMatchObject({ format: 'raw', backingFilename: undefined });
  });

  it('reports a qcow2 external data file, which could point anywhere on the host', async () => {
    const image = lab.path('with-data-file.qcow2');
    const dataFile = lab.path('data-file.raw');
    await execa('qemu-img', ['create', '-q', '-f', 'qcow2', '-o', `data_file=${dataFile}`, image, String(MiB)]);
    expect((await info(image, { format: 'qcow2' })).dataFile).toBe(dataFile);
  });

  it('creates blank raw and qcow2 disks of the requested size', async () => {
    const raw = lab.path('blank.raw');
    const qcow2 = lab.path('blank.qcow2');
    await createDisk(raw, 2 * MiB, { format: 'raw' });
    await createDisk(qcow2, 64 * MiB, { format: 'qcow2' });
    expect(await info(raw, { format: 'raw' })).toMatchObject({ format: 'raw', virtualSize: 2 * MiB });
    expect(await info(qcow2, { format: 'qcow2' })).toMatchObject({ format: 'qcow2', virtualSize: 64 * MiB, backingFilename: undefined });
  });

  it('refuses LUKS on a raw disk before running qemu-img', async () => {
    await expect(createDisk(lab.path('luks.raw'), MiB, { format: 'raw', luksKeyFile: '/dev/null' })).rejects.toThrow(/needs a qcow2 disk/);
  });

  it('flattens an overlay chain into a standalone image with the same contents', async () => {
    const overlay = lab.path('to-flatten.qcow2');
    const flat = lab.path('flat.qcow2');
    const roundTrip = lab.path('round-trip.raw');
    await createOverlay(guestImages.biosRaw, 'raw', overlay);
    await convert({ source: overlay, sourceFormat: 'qcow2', target: flat, targetFormat: 'qcow2', compress: true });
    expect((await info(flat, { format: 'qcow2' })).backingFilename).toBeUndefined();
    await convert({ source: flat, sourceFormat: 'qcow2', target: roundTrip, targetFormat: 'raw' });
    expect(await sha256File(roundTrip)).toBe(await sha256File(guestImages.biosRaw));
  });

  it('checks qcow2 consistency, says when a format has no check, and fails on a non-image', async () => {
    expect(await check(guestImages.biosQcow2, 'qcow2')).toEqual({ supported: true, clean: true, corruptions: 0, leaks: 0, checkErrors: 0 });
    expect(await check(guestImages.biosRaw, 'raw')).toEqual({ supported: false });
    const notQcow2 = lab.path('not-an-image.qcow2');
    await writeFile(notQcow2, 'hello');
    await expect(check(notQcow2, 'qcow2')).rejects.toThrow(QemuImgError);
  });

  it('reads the disk of a running VM only when told to share it', async () => {
    const { spec } = await lab.bootFresh('busy');
    const rootDisk = spec.disks[0]?.source.kind === 'file' ? spec.disks[0].source.path : '';
    await expect(info(rootDisk, { format: 'qcow2' })).rejects.toThrow(/lock/);
    expect((await info(rootDisk, { format: 'qcow2', forceShare: true })).backingFilename).toBe(guestImages.biosRaw);
  });
});
