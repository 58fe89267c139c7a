// Boots the UEFI test guest (GRUB on a FAT16 ESP) through OVMF under real QEMU.
import { stat } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { waitForMarker } from '../../hypervisor/console.js';
import { detectFirmware } from '../../hypervisor/firmware.js';
import { instanceFiles } from '../../hypervisor/instance-files.js';
import { isRunning, startVm, stopVm } from '../../hypervisor/vm-process.js';
import { waitUntil } from '../../runtime/wait.js';
import { fileDisk, guestImages, sha256File, uefiFirmware, useGuestLab } from './guest-lab.js';
import { uefiGuestBooted } from './guest-report.js';

const lab = useGuestLab();

describe('UEFI test guest', () => {
  it('boots through OVMF, prints its marker and powers itself off', { timeout: 120_000 }, async () => {
    expect(detectFirmware()).toMatchObject({ available: true });
    const varsTemplateBefore = await sha256File(uefiFirmware.varsTemplate);
    const rootDisk = await lab.rootDisk('uefi', guestImages.uefiRaw);
    const spec = lab.spec('uefi', [fileDisk('vda', rootDisk, 'qcow2')], { firmware: uefiFirmware, memoryMiB: 128 });

    const startedAt = performance.now();
    const vm = lab.track(await startVm(spec));
    await waitForMarker(instanceFiles(spec.runDir).consoleLog, uefiGuestBooted, { timeoutMs: 90_000, isRunning: () => isRunning(vm) });
    console.info(`UEFI start to ${uefiGuestBooted}: ${Math.round(performance.now() - startedAt)} ms`);

    // GRUB's halt is an ACPI power-off, and QEMU exits with its guest.
    await waitUntil('the UEFI guest to power off', async () => !(await isRunning(vm)), { timeoutMs: 15_000 });
    expect(await stopVm(vm)).toBe('not-running');
    expect((await stat(instanceFiles(spec.runDir).uefiVars)).size).toBe((await stat(uefiFirmware.varsTemplate)).size);
    expect(await sha256File(uefiFirmware.varsTemplate)).toBe(varsTemplateBefore);
  });
});
