// Starting, adopting and stopping real QEMU processes: a VM outlives the worker that
// started it, a later worker finds it from its runDir alone, and stop never leaves one.
import { execa } from 'execa';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { waitForMarker } from '../../hypervisor/console.js';
import { instanceFiles } from '../../hypervisor/instance-files.js';
import { adoptVm, isRunning, startVm, stopVm, VmStartError, withQmp } from '../../hypervisor/vm-process.js';
import type { VmHandle } from '../../hypervisor/vm-process.js';
import { writeSecretFile } from '../../hypervisor/secret-file.js';
import type { DiskSpec } from '../../hypervisor/vm-spec.js';
import { freePort } from '../support/ports.js';
import { isAlive } from '../support/processes.js';
import { fileDisk, useGuestLab } from './guest-lab.js';
import { biosGuestDone } from './guest-report.js';

const lab = useGuestLab();

describe('VM processes', () => {
  it('keeps running after the process that started it exits, and is adopted from its runDir', async () => {
    const spec = lab.spec('adopted', [fileDisk('vda', await lab.rootDisk('adopted'), 'qcow2')]);
    const worker = await execa('npx', ['tsx', join(import.meta.dirname, 'start-vm-and-exit.ts'), JSON.stringify(spec)], { timeout: 60_000 });
    const started = lab.track(JSON.parse(worker.stdout) as VmHandle);

    const adopted = await adoptVm(spec.runDir);
    expect(adopted).toEqual(started);
    await waitForMarker(instanceFiles(spec.runDir).consoleLog, biosGuestDone, { timeoutMs: 20_000 });
    expect(await withQmp(started, (qmp) => qmp.queryStatus())).toMatchObject({ status: 'running', running: true });

    expect(await stopVm(started)).toBe('quit');
    expect(isAlive(started.pid)).toBe(false);
    expect(await isRunning(started)).toBe(false);
    expect(await adoptVm(spec.runDir)).toBeUndefined();
  });

  it('runs, adopts and stops a VM whose runDir and disk paths contain commas', async () => {
    const spec = lab.spec('comma,dir', [fileDisk('vda', await lab.rootDisk('comma,disk'), 'qcow2')]);
    const { vm, console } = await lab.boot(spec);
    expect(console).toContain(`instance-id=${spec.instanceId}`);
    expect(await adoptVm(spec.runDir)).toEqual(vm);
    expect(await stopVm(vm)).toBe('quit');
  });

  it('does not adopt a pid that is not this runDir’s QEMU', async () => {
    const { spec, vm } = await lab.bootFresh('impostor');
    const otherRunDir = lab.path('impostor-other');
    await mkdir(otherRunDir);
    await writeFile(instanceFiles(otherRunDir).pidFile, `${vm.pid}\n`);
    expect(await adoptVm(otherRunDir)).toBeUndefined();
    await writeFile(instanceFiles(otherRunDir).pidFile, `${process.pid}\n`);
    expect(await adoptVm(otherRunDir)).toBeUndefined();
    expect(await adoptVm(spec.runDir)).toEqual(vm);
  });

  it('refuses to start a second QEMU on a runDir whose VM runs', async () => {
    const { spec, vm } = await lab.bootFresh('twice');
    await expect(startVm(spec)).rejects.toThrow(new RegExp(`already runs in .*pid ${vm.pid}`));
    expect(await isRunning(vm)).toBe(true);
  });

  it('reports why QEMU could not start and leaves nothing behind', async () => {
    const spec = lab.spec('broken', [fileDisk('vda', lab.path('missing.qcow2'), 'qcow2')]);
    const error = await startVm(spec).catch((failure: unknown) => failure);
    expect(error).toBeInstanceOf(VmStartError);
    expect((error as Error).message).toMatch(/missing\.qcow2.*No such file/);
    expect(await adoptVm(spec.runDir)).toBeUndefined();
  });

  it('has QEMU accept the iSCSI volume options, failing only to reach an absent portal', async () => {
    const passwordFile = lab.path('chap.secret');
    await writeSecretFile(passwordFile, 'Xq7-not-in-argv');
    const volume: DiskSpec = {
      name: 'vdc',
      source: {
        kind: 'iscsi',
        portal: `127.0.0.1:${await freePort()}`,
        iqn: 'iqn.2010-10.org.openstack:volume-absent',
        lun: 1,
        initiatorName: 'iqn.1994-05.com.strata:test-host',
        chap: { user: 'chap-user', passwordFile },
      },
    };
    const spec = lab.spec('iscsi', [fileDisk('vda', await lab.rootDisk('iscsi'), 'qcow2'), volume]);
    const error = await startVm(spec).catch((failure: unknown) => failure);
    expect(error).toBeInstanceOf(VmStartError);
    expect((error as Error).message).toMatch(/iSCSI: Failed to connect to LUN/);
    expect((error as Error).message).not.toContain('Xq7-not-in-argv');
    expect(await adoptVm(spec.runDir)).toBeUndefined();
  });

  it('falls back to quit when the guest ignores the ACPI power button', async () => {
    const { vm } = await lab.bootFresh('powerdown');
    expect(await stopVm(vm, { graceMs: 500 })).toBe('quit');
    expect(isAlive(vm.pid)).toBe(false);
  });

  it('kills a QEMU that cannot answer QMP', async () => {
    const { vm } = await lab.bootFresh('frozen');
    process.kill(vm.pid, 'SIGSTOP');
    expect(await stopVm(vm)).toBe('killed');
    expect(isAlive(vm.pid)).toBe(false);
    expect(await stopVm(vm)).toBe('not-running');
  });
});
