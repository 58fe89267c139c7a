// Which QEMU accelerator a compute host uses. `auto` must not trust /dev/kvm alone: a
// paravirtual shim can expose it without hardware virtualisation, and there KVM guests
// crawl or crash while QEMU never falls back to TCG by itself.
import { closeSync, constants, openSync, readFileSync } from 'node:fs';

export type AcceleratorSetting = 'auto' | 'kvm' | 'tcg';
export type Accelerator = 'kvm' | 'tcg';

export interface KvmProbe {
  /** /proc/cpuinfo shows vmx (Intel VT-x) or svm (AMD-V). */
  cpuHasVirtualization: boolean;
  /** /dev/kvm opened read-write, or why it did not. */
  kvmDevice: { usable: true } | { usable: false; reason: string };
}

export class AcceleratorUnavailableError extends Error {
  override name = 'AcceleratorUnavailableError';
}

export function cpuinfoShowsVirtualization(cpuinfo: string): boolean {
  return cpuinfo
    .split('\n')
    .filter((line) => /^flags\s*:/.test(line))
    .some((line) => /\s(vmx|svm)(\s|$)/.test(line));
}

export function chooseAccelerator(setting: AcceleratorSetting, probe: KvmProbe): Accelerator {
  const kvmUsable = probe.cpuHasVirtualization && probe.kvmDevice.usable;
  if (setting === 'tcg') return 'tcg';
  if (setting === 'auto') return kvmUsable ? 'kvm' : 'tcg';
  if (kvmUsable) return 'kvm';
  const causes = [
    ...(probe.cpuHasVirtualization ? [] : ['the CPU flags in /proc/cpuinfo show neither vmx nor svm']),
    ...(probe.kvmDevice.usable ? [] : [`/dev/kvm is not usable (${probe.kvmDevice.reason})`]),
  ];
  throw new AcceleratorUnavailableError(
    `compute.accelerator is 'kvm' but KVM cannot be used on this host: ${causes.join('; ')}. ` +
      `Set compute.accelerator to 'auto' or 'tcg' (STRATA_COMPUTE_ACCELERATOR) to run guests under TCG emulation.`,
  );
}

/** Synchronous on purpose: two small reads, done once per worker start or host probe. */
export function probeKvm(): KvmProbe {
  let cpuinfo = '';
  try {
    cpuinfo = readFileSync('/proc/cpuinfo', 'utf8');
  } catch {
    // No /proc/cpuinfo: no evidence of hardware virtualisation.
  }
  return { cpuHasVirtualization: cpuinfoShowsVirtualization(cpuinfo), kvmDevice: probeKvmDevice() };
}

function probeKvmDevice(): KvmProbe['kvmDevice'] {
  try {
    closeSync(openSync('/dev/kvm', constants.O_RDWR));
    return { usable: true };
  } catch (error) {
    return { usable: false, reason: error instanceof Error ? error.message : String(error) };
  }
}

export function resolveAccelerator(setting: AcceleratorSetting): Accelerator {
  return chooseAccelerator(setting, probeKvm());
}
