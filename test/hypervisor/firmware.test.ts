import { existsSync } from 'node:fs';
import { truncate, writeFile } from 'node:fs/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import { defaultOvmfPaths, detectFirmware } from '../../hypervisor/firmware.js';
import { useScratchDirectory } from './guest-lab.js';

const scratchPath = useScratchDirectory();
beforeAll(async () => {
  // Sparse stand-ins with the sizes of Debian's OVMF 2022.11 files.
  for (const [name, size] of [
    ['OVMF_CODE_4M.fd', 3_653_632],
    ['OVMF_VARS_4M.fd', 540_672],
    ['OVMF_VARS_4M.ms.fd', 540_672],
    ['OVMF_VARS.fd', 131_072],
  ] as const) {
    await writeFile(scratchPath(name), '');
    await truncate(scratchPath(name), size);
  }
});

describe('detectFirmware', () => {
  it.runIf(existsSync(defaultOvmfPaths.code))('finds the distribution’s OVMF pair at the default paths', () => {
    expect(detectFirmware()).toEqual({ available: true, ...defaultOvmfPaths });
  });

  it('accepts a CODE/VARS pair of one build', () => {
    const paths = { code: scratchPath('OVMF_CODE_4M.fd'), vars: scratchPath('OVMF_VARS_4M.fd') };
    expect(detectFirmware(paths)).toEqual({ available: true, ...paths });
  });

  it('tells the admin how to get firmware that is missing', () => {
    const status = detectFirmware({ code: scratchPath('nope/OVMF_CODE.fd'), vars: scratchPath('OVMF_VARS.fd') });
    expect(status).toMatchObject({ available: false });
    if (status.available) return;
    expect(status.problem).toBe(`UEFI firmware not found: OVMF code ${scratchPath('nope/OVMF_CODE.fd')} missing`);
    expect(status.hint).toMatch(/apt-get install ovmf.*STRATA_COMPUTE_OVMF_CODE/);
  });

  it('rejects VARS from another build and names the ones that fit', () => {
    const status = detectFirmware({ code: scratchPath('OVMF_CODE_4M.fd'), vars: scratchPath('OVMF_VARS.fd') });
    expect(status).toMatchObject({ available: false });
    if (status.available) return;
    expect(status.problem).toMatch(/are not halves of one OVMF build/);
    expect(status.hint).toContain(`${scratchPath('OVMF_VARS_4M.fd')} or ${scratchPath('OVMF_VARS_4M.ms.fd')}`);
    expect(status.hint).not.toContain(scratchPath('OVMF_VARS.fd'));
  });
});
