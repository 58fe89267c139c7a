import { appendFile, writeFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { BootMarkerError, readConsole, waitForMarker } from '../../hypervisor/console.js';
import { useScratchDirectory } from './guest-lab.js';

const scratchPath = useScratchDirectory();

describe('serial console', () => {
  it('reads a console that does not exist yet as empty', async () => {
    expect(await readConsole(scratchPath('never-written.log'))).toBe('');
  });

  it('waits for a marker the guest prints later', async () => {
    const log = scratchPath('later.log');
    await writeFile(log, 'firmware noise\r\n');
    const printing = sleep(200).then(() => appendFile(log, 'STRATA-GUEST-BOOT\r\n'));
    const text = await waitForMarker(log, 'STRATA-GUEST-BOOT', { timeoutMs: 5_000 });
    await printing;
    expect(text).toBe('firmware noise\r\nSTRATA-GUEST-BOOT\r\n');
  });

  it('sees the marker when it is written, not at the next poll', async () => {
    const log = scratchPath('watched.log');
    await writeFile(log, 'SeaBIOS\r\n');
    const printing = sleep(200).then(async () => {
      // Written in pieces, as QEMU's serial output arrives.
      for (const piece of ['STRATA-', 'GUEST-', 'BOOT\r\n']) await appendFile(log, piece);
    });
    const startedAt = performance.now();
    const text = await waitForMarker(log, 'STRATA-GUEST-BOOT', { timeoutMs: 20_000, pollMs: 10_000 });
    await printing;
    expect(text).toContain('STRATA-GUEST-BOOT');
    expect(performance.now() - startedAt).toBeLessThan(5_000);
  });

  it('gives up at the deadline and shows how far the console got', async () => {
    const log = scratchPath('stuck.log');
    await writeFile(log, 'SeaBIOS\r\nBooting from Hard Disk...\r\n');
    const startedAt = performance.now();
    const failure = await waitForMarker(log, 'STRATA-GUEST-BOOT', { timeoutMs: 300 }).catch((error: unknown) => error);
    expect(performance.now() - startedAt).toBeLessThan(2_000);
    expect(failure).toBeInstanceOf(BootMarkerError);
    expect((failure as Error).message).toMatch(/timed out after 300 ms.*Booting from Hard Disk/);
  });

  it('stops waiting as soon as the VM is gone', async () => {
    const log = scratchPath('crashed.log');
    await writeFile(log, 'KVM internal error\r\n');
    const startedAt = performance.now();
    const failure = await waitForMarker(log, 'STRATA-GUEST-BOOT', { timeoutMs: 30_000, isRunning: () => Promise.resolve(false) }).catch(
      (error: unknown) => error,
    );
    expect(performance.now() - startedAt).toBeLessThan(2_000);
    expect((failure as Error).message).toMatch(/QEMU exited before 'STRATA-GUEST-BOOT'.*KVM internal error/);
  });

  it('accepts a marker printed just before the VM exited', async () => {
    const log = scratchPath('halted.log');
    await writeFile(log, 'STRATA-UEFI-BOOT\r\n');
    expect(await waitForMarker(log, 'STRATA-UEFI-BOOT', { timeoutMs: 1_000, isRunning: () => Promise.resolve(false) })).toContain('STRATA-UEFI-BOOT');
  });
});
