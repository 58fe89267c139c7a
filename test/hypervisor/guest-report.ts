// What strata's test guests print on their serial console (guests/README.md), parsed
// for tests that boot them.

export const biosGuestDone = 'STRATA-GUEST-DONE';
export const uefiGuestBooted = 'STRATA-UEFI-BOOT';

export type DataDiskReport =
  | { present: false }
  | { present: true; read: string | undefined; wrote: string | undefined }
  | { present: true; failure: string };

export interface GuestReport {
  instanceId: string | undefined;
  bootCount: number | undefined;
  disks: Partial<Record<'vdb' | 'vdc', DataDiskReport>>;
  done: boolean;
}

export function parseGuestReport(console: string): GuestReport {
  const report: GuestReport = { instanceId: undefined, bootCount: undefined, disks: {}, done: false };
  for (const line of console.split(/\r?\n/)) {
    const field = /^(instance-id|boot-count)=(.*)$/.exec(line);
    if (field?.[1] === 'instance-id') report.instanceId = field[2] === 'none' ? undefined : field[2];
    if (field?.[1] === 'boot-count') report.bootCount = Number(field[2]);
    if (line === biosGuestDone) report.done = true;
    const disk = /^(vdb|vdc)(-read|-wrote|): (.*)$/.exec(line);
    if (!disk) continue;
    const [, name, kind, value] = disk as unknown as [string, 'vdb' | 'vdc', string, string];
    const previous = report.disks[name];
    if (kind === '' && value === 'absent') report.disks[name] = { present: false };
    else if (kind === '') report.disks[name] = { present: true, failure: value };
    else if (kind === '-read') report.disks[name] = { present: true, read: value === 'empty' ? undefined : value, wrote: undefined };
    else if (previous?.present && 'read' in previous) previous.wrote = value;
  }
  return report;
}

/** The mark the guest leaves on a data disk: which boot of which instance wrote it. */
export function parseMark(mark: string | undefined): { boot: number; instanceId: string | undefined } | undefined {
  const match = /^STRATA-MARK boot=(\d+) id=(\S+)$/.exec(mark ?? '');
  if (!match) return undefined;
  return { boot: Number(match[1]), instanceId: match[2] === 'none' ? undefined : match[2] };
}
