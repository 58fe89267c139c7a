// The files one tgtd keeps in its state directory. Starting and adopting both derive
// them from here, so a storage worker that restarts finds the tgtd an earlier one left.
import { join } from 'node:path';

export interface TgtdFiles {
  pidFile: string;
  log: string;
  /** TGT_IPC_SOCKET: tgtd listens on `<this>.0` (and locks `<this>.0.lock`). */
  ipcSocket: string;
}

export function tgtdFiles(stateDir: string): TgtdFiles {
  return { pidFile: join(stateDir, 'tgtd.pid'), log: join(stateDir, 'tgtd.log'), ipcSocket: join(stateDir, 'tgtd.sock') };
}

/** The socket files tgtd creates and never removes when it exits. */
export function ipcSocketFiles(ipcSocket: string): string[] {
  return [`${ipcSocket}.0`, `${ipcSocket}.0.lock`];
}
