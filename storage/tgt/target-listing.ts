// Parses `tgtadm --op show --mode target`: which targets a tgtd exports, with their
// logical units, CHAP accounts and initiator ACLs. tgtd is the truth about what is
// exported right now; the event log is the truth about what should be.
import type { Tid } from './tgtadm-args.js';

export interface TargetListing {
  tid: Tid;
  iqn: string;
  /** Backing files by LUN (LUN 0, tgt's controller, has none and is left out). */
  luns: { lun: number; backingFile: string }[];
  accounts: string[];
  acls: string[];
}

type Section = 'none' | 'lun' | 'accounts' | 'acls';

export function parseTargetListing(output: string): TargetListing[] {
  const targets: TargetListing[] = [];
  let current: TargetListing | undefined;
  let section: Section = 'none';
  let lun: number | undefined;
  for (const raw of output.split('\n')) {
    const line = raw.trim();
    const header = /^Target (\d+): (\S+)$/.exec(raw);
    if (header) {
      current = { tid: Number(header[1]), iqn: header[2] as string, luns: [], accounts: [], acls: [] };
      targets.push(current);
      section = 'none';
      continue;
    }
    if (!current || line === '') continue;
    if (line === 'LUN information:') section = 'lun';
    else if (line === 'Account information:') section = 'accounts';
    else if (line === 'ACL information:') section = 'acls';
    else if (line.endsWith(' information:')) section = 'none';
    else if (section === 'accounts') current.accounts.push(line);
    else if (section === 'acls') current.acls.push(line);
    else if (section === 'lun') {
      const lunHeader = /^LUN: (\d+)$/.exec(line);
      if (lunHeader) lun = Number(lunHeader[1]);
      const path = /^Backing store path: (.+)$/.exec(line);
      if (path && lun !== undefined && path[1] !== 'None') current.luns.push({ lun, backingFile: path[1] as string });
    }
  }
  return targets;
}
