// The qemu-system-x86_64 command line for a VmSpec. Pure: no I/O, so every option can be
// checked in unit tests; vm-process.ts runs it.
import { isAbsolute } from 'node:path';
import { instanceFiles } from './instance-files.js';
import { diskQemuOptions, fileNode, isDiskName } from './qemu-block.js';
import type { QemuOptions } from './qemu-block.js';
import type { Firmware, VmSpec } from './vm-spec.js';
import { maxUnixSocketPathBytes } from '../runtime/unix-socket.js';

export class InvalidVmSpecError extends Error {
  override name = 'InvalidVmSpecError';
}

/** fw_cfg file the test guests read their instance id from. */
const instanceIdFwCfgName = 'opt/strata/instance-id';

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** sun_path holds 108 bytes including the terminating NUL. */

export function buildQemuCommand(spec: VmSpec): string[] {
  assertValid(spec);
  const files = instanceFiles(spec.runDir);
  const uefi = spec.firmware.kind === 'uefi';
  return [
    '-name', `guest=${escapeOptionValue(spec.name)}`,
    '-uuid', spec.instanceId,
    '-machine', uefi ? 'pc,pflash0=uefi-code,pflash1=uefi-vars' : 'pc',
    '-accel', spec.accelerator,
    // `host` passes the real CPU through, which only KVM can do.
    '-cpu', spec.accelerator === 'kvm' ? 'host' : 'max',
    '-m', String(spec.memoryMiB),
    '-smp', String(spec.vcpus),
    '-nodefaults', '-no-user-config', '-display', 'none', '-nic', 'none',
    ...firmwareArguments(spec.firmware, files.uefiVars),
    ...spec.disks.flatMap((disk) => {
      const options = diskQemuOptions(disk);
      return [
        ...options.secrets.flatMap((secret) => ['-object', json(secret)]),
        '-blockdev', json(options.blockdev),
        '-device', json(options.device),
      ];
    }),
    '-chardev', `file,id=console,path=${escapeOptionValue(files.consoleLog)}`,
    '-serial', 'chardev:console',
    '-chardev', `socket,id=qmp,path=${escapeOptionValue(files.qmpSocket)},server=on,wait=off`,
    '-mon', 'chardev=qmp,mode=control',
    '-fw_cfg', `name=${instanceIdFwCfgName},string=${spec.instanceId}`,
    '-smbios', `type=1,serial=${spec.instanceId}`,
    '-pidfile', files.pidFile,
    // QEMU detaches and outlives the worker that started it; a later worker adopts it.
    '-daemonize',
  ];
}

/** QEMU's key=value syntax ends a value at a comma; a doubled comma is a literal one. */
export function escapeOptionValue(value: string): string {
  return value.replaceAll(',', ',,');
}

function firmwareArguments(firmware: Firmware, varsCopy: string): string[] {
  if (firmware.kind === 'bios') return [];
  return ['-blockdev', json(flashNode('uefi-code', firmware.code, true)), '-blockdev', json(flashNode('uefi-vars', varsCopy, false))];
}

function flashNode(name: string, path: string, readOnly: boolean): QemuOptions {
  return { driver: 'raw', 'node-name': name, file: fileNode(name, path, readOnly), ...(readOnly ? { 'read-only': true } : {}) };
}

function json(options: QemuOptions): string {
  return JSON.stringify(options);
}

function assertValid(spec: VmSpec): void {
  const problems: string[] = [];
  if (!uuidPattern.test(spec.instanceId)) problems.push(`instanceId '${spec.instanceId}' is not a UUID`);
  if (!Number.isInteger(spec.memoryMiB) || spec.memoryMiB < 16) problems.push('memoryMiB must be an integer ≥ 16');
  if (!Number.isInteger(spec.vcpus) || spec.vcpus < 1) problems.push('vcpus must be a positive integer');
  problems.push(...relativePaths(spec).map(([what, path]) => `${what} '${path}' is not an absolute path`));
  const socketBytes = Buffer.byteLength(instanceFiles(spec.runDir).qmpSocket);
  if (socketBytes > maxUnixSocketPathBytes) problems.push(`runDir is too long for a unix socket path (${socketBytes} > ${maxUnixSocketPathBytes} bytes)`);
  const names = spec.disks.map((disk) => disk.name);
  if (names[0] !== 'vda') problems.push('the first disk (the boot disk) must be vda');
  for (const name of names) if (!isDiskName(name)) problems.push(`disk name '${name}' is not vd[a-z]`);
  if (new Set(names).size !== names.length) problems.push(`disk names repeat: ${names.join(', ')}`);
  if (problems.length > 0) throw new InvalidVmSpecError(`invalid VM spec for ${spec.instanceId}: ${problems.join('; ')}`);
}

function relativePaths(spec: VmSpec): [what: string, path: string][] {
  const paths: [string, string][] = [['runDir', spec.runDir]];
  if (spec.firmware.kind === 'uefi') paths.push(['UEFI code', spec.firmware.code], ['UEFI vars template', spec.firmware.varsTemplate]);
  for (const { name, source } of spec.disks) {
    if (source.kind === 'file') paths.push([`${name} path`, source.path]);
    if (source.kind === 'file' && source.luksKeyFile !== undefined) paths.push([`${name} LUKS key file`, source.luksKeyFile]);
    if (source.kind === 'iscsi' && source.chap) paths.push([`${name} CHAP password file`, source.chap.passwordFile]);
  }
  return paths.filter(([, path]) => !isAbsolute(path));
}
