// The files QEMU keeps in an instance's runDir. Starting and adopting a VM both derive
// them from here, so a worker that restarts finds what an earlier worker started.
import { join } from 'node:path';

export interface InstanceFiles {
  pidFile: string;
  qmpSocket: string;
  consoleLog: string;
  /** The instance's own UEFI variable store (boot entries survive restarts). */
  uefiVars: string;
}

export function instanceFiles(runDir: string): InstanceFiles {
  return {
    pidFile: join(runDir, 'qemu.pid'),
    qmpSocket: join(runDir, 'qmp.sock'),
    consoleLog: join(runDir, 'console.log'),
    uefiVars: join(runDir, 'uefi-vars.fd'),
  };
}
