import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { KvmProbe } from '../../hypervisor/accelerator.js';
import { AcceleratorUnavailableError, chooseAccelerator, cpuinfoShowsVirtualization, probeKvm, resolveAccelerator } from '../../hypervisor/accelerator.js';

const hardwareKvm: KvmProbe = { cpuHasVirtualization: true, kvmDevice: { usable: true } };
const paravirtualShim: KvmProbe = { cpuHasVirtualization: false, kvmDevice: { usable: true } };
const noDevice: KvmProbe = { cpuHasVirtualization: true, kvmDevice: { usable: false, reason: "ENOENT: no such file or directory, open '/dev/kvm'" } };

describe('cpuinfoShowsVirtualization', () => {
  it('finds vmx or svm among the flags of any CPU', () => {
    expect(cpuinfoShowsVirtualization('processor\t: 0\nflags\t\t: fpu vme vmx sse\n')).toBe(true);
    expect(cpuinfoShowsVirtualization('flags\t\t: fpu sse2\nflags\t\t: fpu svm\n')).toBe(true);
    expect(cpuinfoShowsVirtualization('flags\t\t: fpu vme hypervisor vmxnet svme\n')).toBe(false);
    expect(cpuinfoShowsVirtualization('model name\t: vmx svm\nflags\t\t: fpu\n')).toBe(false);
  });
});

describe('chooseAccelerator', () => {
  it('picks KVM on auto only with hardware virtualisation and a usable /dev/kvm', () => {
    expect(chooseAccelerator('auto', hardwareKvm)).toBe('kvm');
    expect(chooseAccelerator('auto', paravirtualShim)).toBe('tcg');
    expect(chooseAccelerator('auto', noDevice)).toBe('tcg');
  });

  it('uses TCG when told to, even where KVM works', () => {
    expect(chooseAccelerator('tcg', hardwareKvm)).toBe('tcg');
  });

  it('explains why an explicit kvm setting cannot be honoured', () => {
    expect(chooseAccelerator('kvm', hardwareKvm)).toBe('kvm');
    expect(() => chooseAccelerator('kvm', paravirtualShim)).toThrow(AcceleratorUnavailableError);
    expect(() => chooseAccelerator('kvm', paravirtualShim)).toThrow(/neither vmx nor svm.*STRATA_COMPUTE_ACCELERATOR/);
    expect(() => chooseAccelerator('kvm', noDevice)).toThrow(/\/dev\/kvm is not usable \(ENOENT/);
  });
});

const thisHostHasVirtualization = /^flags\s*:.*\s(vmx|svm)(\s|$)/m.test(readFileSync('/proc/cpuinfo', 'utf8'));

describe.skipIf(thisHostHasVirtualization)('on a host without hardware virtualisation', () => {
  it('sees no vmx/svm and resolves auto to TCG, whatever /dev/kvm offers', () => {
    expect(probeKvm().cpuHasVirtualization).toBe(false);
    expect(resolveAccelerator('auto')).toBe('tcg');
    expect(() => resolveAccelerator('kvm')).toThrow(AcceleratorUnavailableError);
  });
});
