import { describe, expect, it } from 'vitest';
import { buildQemuCommand, escapeOptionValue, InvalidVmSpecError } from '../../hypervisor/qemu-command.js';
import type { DiskSpec, VmSpec } from '../../hypervisor/vm-spec.js';

const instanceId = '6f1c2a4e-3b5d-4c7e-9f80-1a2b3c4d5e6f';
const runDir = '/var/lib/strata/instances/6f1c2a4e';

function spec(overrides: Partial<VmSpec> = {}): VmSpec {
  return {
    instanceId,
    name: 'web-1',
    runDir,
    accelerator: 'tcg',
    memoryMiB: 128,
    vcpus: 2,
    firmware: { kind: 'bios' },
    disks: [{ name: 'vda', source: { kind: 'file', path: `${runDir}/vda.qcow2`, format: 'qcow2' } }],
    ...overrides,
  };
}

/** The value following each occurrence of flag. */
function valuesOf(argv: string[], flag: string): string[] {
  return argv.flatMap((arg, index) => (arg === flag ? [argv[index + 1] ?? ''] : []));
}

function jsonValuesOf(argv: string[], flag: string): Record<string, unknown>[] {
  return valuesOf(argv, flag).map((value) => JSON.parse(value) as Record<string, unknown>);
}

const iscsiVolume: DiskSpec = {
  name: 'vdc',
  serial: 'vol-1234',
  source: {
    kind: 'iscsi',
    portal: '127.0.0.1:3260',
    iqn: 'iqn.2010-10.org.openstack:volume-1234',
    lun: 1,
    initiatorName: 'iqn.1994-05.com.strata:compute1',
    chap: { user: 'chap-user', passwordFile: `${runDir}/vdc-chap.secret` },
  },
};

describe('buildQemuCommand', () => {
  it('builds a headless, network-less TCG VM that detaches and is reachable over QMP', () => {
    const argv = buildQemuCommand(spec());
    expect(valuesOf(argv, '-accel')).toEqual(['tcg']);
    expect(valuesOf(argv, '-cpu')).toEqual(['max']);
    expect(valuesOf(argv, '-m')).toEqual(['128']);
    expect(valuesOf(argv, '-smp')).toEqual(['2']);
    expect(valuesOf(argv, '-machine')).toEqual(['pc']);
    expect(valuesOf(argv, '-name')).toEqual(['guest=web-1']);
    expect(argv).toEqual(expect.arrayContaining(['-nodefaults', '-no-user-config', '-daemonize']));
    expect(valuesOf(argv, '-display')).toEqual(['none']);
    expect(valuesOf(argv, '-nic')).toEqual(['none']);
    expect(valuesOf(argv, '-pidfile')).toEqual([`${runDir}/qemu.pid`]);
    expect(valuesOf(argv, '-chardev')).toEqual([
      `file,id=console,path=${runDir}/console.log`,
      `socket,id=qmp,path=${runDir}/qmp.sock,server=on,wait=off`,
    ]);
    expect(valuesOf(argv, '-serial')).toEqual(['chardev:console']);
    expect(valuesOf(argv, '-mon')).toEqual(['chardev=qmp,mode=control']);
  });

  it('tells the guest its instance id through -uuid, SMBIOS and fw_cfg', () => {
    const argv = buildQemuCommand(spec());
    expect(valuesOf(argv, '-uuid')).toEqual([instanceId]);
    expect(valuesOf(argv, '-smbios')).toEqual([`type=1,serial=${instanceId}`]);
    expect(valuesOf(argv, '-fw_cfg')).toEqual([`name=opt/strata/instance-id,string=${instanceId}`]);
  });

  it('passes the host CPU through only under KVM', () => {
    const argv = buildQemuCommand(spec({ accelerator: 'kvm' }));
    expect(valuesOf(argv, '-accel')).toEqual(['kvm']);
    expect(valuesOf(argv, '-cpu')).toEqual(['host']);
  });

  it('gives each disk a blockdev tree and a virtio-blk device in the slot its name implies', () => {
    const argv = buildQemuCommand(
      spec({
        disks: [
          { name: 'vda', source: { kind: 'file', path: `${runDir}/vda.qcow2`, format: 'qcow2' } },
          { name: 'vdb', source: { kind: 'file', path: `${runDir}/vdb.raw`, format: 'raw' } },
        ],
      }),
    );
    expect(jsonValuesOf(argv, '-blockdev')).toEqual([
      { driver: 'qcow2', 'node-name': 'vda', file: { driver: 'file', 'node-name': 'vda-file', filename: `${runDir}/vda.qcow2` } },
      { driver: 'raw', 'node-name': 'vdb', file: { driver: 'file', 'node-name': 'vdb-file', filename: `${runDir}/vdb.raw` } },
    ]);
    expect(jsonValuesOf(argv, '-device')).toEqual([
      { driver: 'virtio-blk-pci', id: 'vda', drive: 'vda', bus: 'pci.0', addr: '0x4', bootindex: 1 },
      { driver: 'virtio-blk-pci', id: 'vdb', drive: 'vdb', bus: 'pci.0', addr: '0x5' },
    ]);
  });

  it('opens a LUKS vdb with its key from a secret object defined before the disk', () => {
    const keyFile = `${runDir}/vdb.key`;
    const argv = buildQemuCommand(
      spec({
        disks: [
          { name: 'vda', source: { kind: 'file', path: `${runDir}/vda.qcow2`, format: 'qcow2' } },
          { name: 'vdb', source: { kind: 'file', path: `${runDir}/vdb.qcow2`, format: 'qcow2', luksKeyFile: keyFile } },
        ],
      }),
    );
    expect(jsonValuesOf(argv, '-object')).toEqual([{ 'qom-type': 'secret', id: 'vdb-luks-key', file: keyFile, format: 'raw' }]);
    expect(jsonValuesOf(argv, '-blockdev')[1]).toMatchObject({ 'node-name': 'vdb', encrypt: { format: 'luks', 'key-secret': 'vdb-luks-key' } });
    expect(argv.indexOf('-object')).toBeLessThan(argv.lastIndexOf('-blockdev'));
  });

  it('refuses LUKS on a raw disk', () => {
    const disks: DiskSpec[] = [{ name: 'vda', source: { kind: 'file', path: `${runDir}/vda.raw`, format: 'raw', luksKeyFile: `${runDir}/k` } }];
    expect(() => buildQemuCommand(spec({ disks }))).toThrow(/LUKS encryption needs a qcow2 disk/);
  });

  it('attaches an iSCSI volume with CHAP whose password only a secret file holds', () => {
    const argv = buildQemuCommand(spec({ disks: [...spec().disks, iscsiVolume] }));
    expect(jsonValuesOf(argv, '-object')).toEqual([
      { 'qom-type': 'secret', id: 'vdc-chap-password', file: `${runDir}/vdc-chap.secret`, format: 'raw' },
    ]);
    expect(jsonValuesOf(argv, '-blockdev')[1]).toEqual({
      driver: 'raw',
      'node-name': 'vdc',
      file: {
        driver: 'iscsi',
        'node-name': 'vdc-file',
        transport: 'tcp',
        portal: '127.0.0.1:3260',
        target: 'iqn.2010-10.org.openstack:volume-1234',
        lun: 1,
        'initiator-name': 'iqn.1994-05.com.strata:compute1',
        user: 'chap-user',
        'password-secret': 'vdc-chap-password',
      },
    });
    expect(jsonValuesOf(argv, '-device')[1]).toEqual({ driver: 'virtio-blk-pci', id: 'vdc', drive: 'vdc', bus: 'pci.0', addr: '0x6', serial: 'vol-1234' });
    expect(argv.join(' ')).not.toMatch(/iscsi:\/\//);
  });

  it('attaches an iSCSI volume without CHAP and without any secret', () => {
    const { chap: _chap, ...withoutChap } = iscsiVolume.source as Extract<DiskSpec['source'], { kind: 'iscsi' }>;
    const argv = buildQemuCommand(spec({ disks: [...spec().disks, { name: 'vdc', source: withoutChap }] }));
    expect(valuesOf(argv, '-object')).toEqual([]);
    expect(jsonValuesOf(argv, '-blockdev')[1]?.file).not.toHaveProperty('user');
    expect(jsonValuesOf(argv, '-blockdev')[1]?.file).not.toHaveProperty('password-secret');
  });

  it('boots UEFI from read-only OVMF code and the instance’s own vars copy', () => {
    const argv = buildQemuCommand(
      spec({ firmware: { kind: 'uefi', code: '/usr/share/OVMF/OVMF_CODE.fd', varsTemplate: '/usr/share/OVMF/OVMF_VARS.fd' } }),
    );
    expect(valuesOf(argv, '-machine')).toEqual(['pc,pflash0=uefi-code,pflash1=uefi-vars']);
    expect(jsonValuesOf(argv, '-blockdev').slice(0, 2)).toEqual([
      {
        driver: 'raw',
        'node-name': 'uefi-code',
        'read-only': true,
        file: { driver: 'file', 'node-name': 'uefi-code-file', filename: '/usr/share/OVMF/OVMF_CODE.fd', 'read-only': true },
      },
      { driver: 'raw', 'node-name': 'uefi-vars', file: { driver: 'file', 'node-name': 'uefi-vars-file', filename: `${runDir}/uefi-vars.fd` } },
    ]);
    expect(argv.join(' ')).not.toContain('OVMF_VARS.fd');
  });

  it('escapes commas in key=value options so a name or path cannot inject options', () => {
    const disks: DiskSpec[] = [{ name: 'vda', source: { kind: 'file', path: '/srv/a,b/vda', format: 'raw' } }];
    const argv = buildQemuCommand(spec({ name: 'x,process=evil', runDir: '/srv/a,b', disks }));
    expect(valuesOf(argv, '-name')).toEqual(['guest=x,,process=evil']);
    expect(valuesOf(argv, '-chardev')[0]).toBe('file,id=console,path=/srv/a,,b/console.log');
    expect(escapeOptionValue('a,,b')).toBe('a,,,,b');
  });

  it('rejects specs QEMU would misread, listing every problem', () => {
    const bad = spec({
      instanceId: 'not-a-uuid',
      memoryMiB: 0,
      vcpus: 0,
      runDir: 'relative/dir',
      disks: [
        { name: 'vdb', source: { kind: 'file', path: 'disk.qcow2', format: 'qcow2' } },
        { name: 'sdb', source: { kind: 'file', path: '/x', format: 'raw' } },
        { name: 'sdb', source: { kind: 'file', path: '/y', format: 'raw' } },
      ],
    });
    let message = '';
    try {
      buildQemuCommand(bad);
    } catch (error) {
      expect(error).toBeInstanceOf(InvalidVmSpecError);
      message = (error as Error).message;
    }
    for (const problem of [
      "instanceId 'not-a-uuid' is not a UUID",
      'memoryMiB must be',
      'vcpus must be',
      "runDir 'relative/dir' is not an absolute path",
      "vdb path 'disk.qcow2' is not an absolute path",
      'the first disk (the boot disk) must be vda',
      "disk name 'sdb' is not vd[a-z]",
      'disk names repeat',
    ]) {
      expect(message).toContain(problem);
    }
  });

  it('rejects a runDir whose QMP socket path would not fit in sun_path', () => {
    expect(() => buildQemuCommand(spec({ runDir: `/${'d'.repeat(100)}` }))).toThrow(/too long for a unix socket path/);
  });
});
