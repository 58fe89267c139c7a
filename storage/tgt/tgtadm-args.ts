// Pure argv builders for `tgtadm`, the admin client of tgtd (Debian `tgt`). Nothing here
// runs a process, so the exact commands the driver issues are testable without tgtd.

/** A target's id inside one tgtd (tgtadm's --tid); tgtd assigns nothing itself. */
export type Tid = number;

export const showSystem = (): string[] => ['--op', 'show', '--mode', 'system'];

export const showTargets = (): string[] => ['--lld', 'iscsi', '--op', 'show', '--mode', 'target'];

export const newTarget = (tid: Tid, iqn: string): string[] => ['--lld', 'iscsi', '--op', 'new', '--mode', 'target', '--tid', String(tid), '-T', iqn];

/** --force: a target with logged-in initiators is deleted too (the export is being withdrawn). */
export const deleteTarget = (tid: Tid): string[] => ['--lld', 'iscsi', '--op', 'delete', '--mode', 'target', '--tid', String(tid), '--force'];

export const newLogicalUnit = (tid: Tid, lun: number, backingFile: string): string[] => [
  '--lld', 'iscsi', '--op', 'new', '--mode', 'logicalunit', '--tid', String(tid), '--lun', String(lun), '-b', backingFile,
];

/**
 * tgtadm takes the CHAP password only as an argument; it is visible in /proc for the
 * 1–3 ms the call lasts. The driver never logs these argv.
 */
export const newAccount = (user: string, password: string): string[] => ['--lld', 'iscsi', '--op', 'new', '--mode', 'account', '--user', user, '--password', password];

export const deleteAccount = (user: string): string[] => ['--lld', 'iscsi', '--op', 'delete', '--mode', 'account', '--user', user];

export const bindAccount = (tid: Tid, user: string): string[] => ['--lld', 'iscsi', '--op', 'bind', '--mode', 'account', '--tid', String(tid), '--user', user];

/** An ACL on the initiator's IQN (--initiator-name), not its address: hosts share loopback. */
export const bindInitiator = (tid: Tid, initiatorName: string): string[] => [
  '--lld', 'iscsi', '--op', 'bind', '--mode', 'target', '--tid', String(tid), '--initiator-name', initiatorName,
];

export const shutdownSystem = (): string[] => ['--op', 'delete', '--mode', 'system'];
