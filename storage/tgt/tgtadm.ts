// Runs tgtadm against one tgtd (its own TGT_IPC_SOCKET). Errors name the operation
// but never echo argv: account calls carry a CHAP password.
import { execa } from 'execa';

export interface TgtdConnection {
  ipcSocket: string;
}

export class TgtadmError extends Error {
  override name = 'TgtadmError';
}

export async function tgtadm(tgtd: TgtdConnection, args: string[]): Promise<string> {
  const result = await execa('tgtadm', args, { reject: false, timeout: 10_000, env: { TGT_IPC_SOCKET: tgtd.ipcSocket } });
  if (result.failed) {
    const operation = ['--op', '--mode'].map((flag) => args[args.indexOf(flag) + 1]).join(' ');
    throw new TgtadmError(`tgtadm ${operation} failed: ${result.stderr.trim() || result.shortMessage}`);
  }
  return result.stdout;
}
