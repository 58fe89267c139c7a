// Whether data may be stored under the disk_format its image declares (Glance's upload-
// time format check): the detected format must be the declared one, and unsafe data is
// refused whatever was declared.
import { DomainError } from '../domain/decider.js';
import type { DiskFormat } from '../domain/image/vocabulary.js';
import type { DetectedFormat, FormatReport } from './format-inspection.js';

/** Declared formats strata cannot recognize from bytes: their data is taken as it is. */
const UNINSPECTED: ReadonlySet<DiskFormat> = new Set(['ami', 'ari', 'aki', 'ploop']);

/** A raw disk may hold an ISO 9660 file system (hybrid ISOs are uploaded as raw). */
const ACCEPTED: Partial<Record<DiskFormat, readonly DetectedFormat[]>> = { raw: ['raw', 'iso'] };

/** Returns the virtual size to record, or throws the 400 Glance answers for mismatched data. */
export function checkDeclaredFormat(declared: DiskFormat, report: FormatReport): number | null {
  if (report.unsafe) throw new DomainError('invalid', `Image data refused: ${report.unsafe}.`);
  if (UNINSPECTED.has(declared)) return null;
  const accepted = ACCEPTED[declared] ?? [declared];
  if (!accepted.includes(report.format)) {
    throw new DomainError('invalid', `Image data does not match disk_format ${declared}: it looks like ${report.format}.`);
  }
  return report.virtualSize;
}
