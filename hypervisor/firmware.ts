// OVMF (UEFI firmware for QEMU) detection. OVMF ships as a read-only CODE image and a
// VARS template from the same build; the two halves only work together when their sizes
// add up to that build's flash size (2 MiB or 4 MiB), so a mismatched pair is reported
// with the VARS files next to CODE that would fit.
import { readdirSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

export interface OvmfPaths {
  code: string;
  vars: string;
}

export const defaultOvmfPaths: OvmfPaths = {
  code: '/usr/share/OVMF/OVMF_CODE.fd',
  vars: '/usr/share/OVMF/OVMF_VARS.fd',
};

export type FirmwareStatus =
  | { available: true; code: string; vars: string }
  | { available: false; problem: string; hint: string };

const MiB = 1024 * 1024;
const flashSizes = [2 * MiB, 4 * MiB];
const configHint = 'compute.ovmfCode / compute.ovmfVars (STRATA_COMPUTE_OVMF_CODE / STRATA_COMPUTE_OVMF_VARS)';

/** Synchronous on purpose: a few stats, done once per worker start or host probe. */
export function detectFirmware(paths: OvmfPaths = defaultOvmfPaths): FirmwareStatus {
  const codeSize = fileSize(paths.code);
  const varsSize = fileSize(paths.vars);
  if (codeSize === undefined || varsSize === undefined) {
    const missing = [
      ...(codeSize === undefined ? [`OVMF code ${paths.code}`] : []),
      ...(varsSize === undefined ? [`OVMF vars template ${paths.vars}`] : []),
    ];
    return {
      available: false,
      problem: `UEFI firmware not found: ${missing.join(' and ')} missing`,
      hint: `install OVMF (apt-get install ovmf) or link the files there, or set ${configHint} to an existing CODE/VARS pair`,
    };
  }
  if (!flashSizes.includes(codeSize + varsSize)) {
    const fitting = varsFilesPairingWith(paths.code, codeSize);
    return {
      available: false,
      problem: `${paths.code} (${codeSize} bytes) and ${paths.vars} (${varsSize} bytes) are not halves of one OVMF build`,
      hint:
        fitting.length > 0
          ? `set ${configHint} to a VARS file of the code's build: ${fitting.join(' or ')}`
          : `set ${configHint} to a CODE/VARS pair of one OVMF build (e.g. OVMF_CODE_4M.fd with OVMF_VARS_4M.fd)`,
    };
  }
  return { available: true, code: paths.code, vars: paths.vars };
}

function fileSize(path: string): number | undefined {
  try {
    const info = statSync(path);
    return info.isFile() ? info.size : undefined;
  } catch {
    return undefined;
  }
}

function varsFilesPairingWith(codePath: string, codeSize: number): string[] {
  const directory = dirname(codePath);
  let names: string[] = [];
  try {
    names = readdirSync(directory);
  } catch {
    return [];
  }
  return names
    .filter((name) => name.includes('VARS') && name !== basename(codePath))
    .sort()
    .map((name) => join(directory, name))
    .filter((path) => {
      const size = fileSize(path);
      return size !== undefined && flashSizes.includes(codeSize + size);
    });
}
