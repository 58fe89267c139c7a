// Exporting a volume file as an iSCSI target: one target per volume (its IQN), LUN 1
// backed by the file, reachable only by the attaching host's initiator IQN and only
// with that attachment's CHAP account. Every call is idempotent, so a retried activity
// or a restore after a tgtd restart converges on the same export.
import { randomBytes } from 'node:crypto';
import type { TgtdConnection } from './tgtadm.js';
import { tgtadm } from './tgtadm.js';
import type { TargetListing } from './target-listing.js';
import { parseTargetListing } from './target-listing.js';
import {
  bindAccount, bindInitiator, deleteAccount, deleteTarget, newAccount, newLogicalUnit, newTarget, showTargets,
} from './tgtadm-args.js';

export const volumeLun = 1;

export interface ChapCredentials {
  user: string;
  password: string;
}

export interface ExportSpec {
  iqn: string;
  backingFile: string;
  initiatorName: string;
  chap: ChapCredentials;
}

/** Fresh credentials for one attachment: 16 characters, as RFC 3720 wants ≥ 12 bytes of secret and some initiators take ≤ 16. */
export function newChapCredentials(): ChapCredentials {
  return { user: `strata-${randomBytes(6).toString('hex')}`, password: randomBytes(12).toString('base64url') };
}

export async function listTargets(tgtd: TgtdConnection): Promise<TargetListing[]> {
  return parseTargetListing(await tgtadm(tgtd, showTargets()));
}

export async function findTarget(tgtd: TgtdConnection, iqn: string): Promise<TargetListing | undefined> {
  return (await listTargets(tgtd)).find((target) => target.iqn === iqn);
}

export async function exportVolumeFile(tgtd: TgtdConnection, spec: ExportSpec): Promise<{ tid: number; lun: number }> {
  const targets = await listTargets(tgtd);
  let target = targets.find((candidate) => candidate.iqn === spec.iqn);
  if (!target) {
    const tid = Math.max(0, ...targets.map((candidate) => candidate.tid)) + 1;
    await tgtadm(tgtd, newTarget(tid, spec.iqn));
    target = { tid, iqn: spec.iqn, luns: [], accounts: [], acls: [] };
  }
  const { tid } = target;
  const lun = target.luns.find((candidate) => candidate.lun === volumeLun);
  if (lun && lun.backingFile !== spec.backingFile) throw new Error(`target ${spec.iqn} already exports ${lun.backingFile}, not ${spec.backingFile}`);
  if (!lun) await tgtadm(tgtd, newLogicalUnit(tid, volumeLun, spec.backingFile));
  if (!target.accounts.includes(spec.chap.user)) {
    // A leftover account of this name (from a half-done earlier try) may hold another password.
    await tgtadm(tgtd, deleteAccount(spec.chap.user)).catch(() => undefined);
    await tgtadm(tgtd, newAccount(spec.chap.user, spec.chap.password));
    await tgtadm(tgtd, bindAccount(tid, spec.chap.user));
  }
  if (!target.acls.includes(spec.initiatorName)) await tgtadm(tgtd, bindInitiator(tid, spec.initiatorName));
  return { tid, lun: volumeLun };
}

/** Withdraws the target and the CHAP accounts bound to it; nothing to do when it is gone. */
export async function unexportVolumeFile(tgtd: TgtdConnection, iqn: string): Promise<void> {
  const target = await findTarget(tgtd, iqn);
  if (!target) return;
  await tgtadm(tgtd, deleteTarget(target.tid));
  for (const user of target.accounts) await tgtadm(tgtd, deleteAccount(user)).catch(() => undefined);
}
