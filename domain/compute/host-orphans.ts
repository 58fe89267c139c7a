// Orphans on a compute host: QEMU processes and instance directories that no instance
// owns any more (a crashed worker, a compensation that failed half-way, files restored
// from a backup). An instance owns what is on a host while it holds a claim there: the
// claim is taken before its directory is made and given back only after the host has
// destroyed it, so a launch or delete in flight always holds one. Something unclaimed
// but younger than the grace age is spared too: it may belong to a claim this pass read
// too early. The reaper records what it removed on a stream of its own, not on
// `host-<name>`, where a write would make concurrent claims retry.
import { z } from 'zod';

const orphanSchema = z.object({
  instanceId: z.uuid(),
  /** The QEMU running for it, if any. */
  qemuPid: z.number().int().positive().nullable(),
  /** Its directory under the host's `instances/`, if there is one. */
  directory: z.string().nullable(),
  /** Seconds since the youngest of these appeared (process start, directory change). */
  ageSeconds: z.number().min(0),
});
export type OrphanCandidate = z.infer<typeof orphanSchema>;

export const hostOrphanEventSchemas = {
  'HostOrphansReaped.v1': z.object({
    host: z.string(),
    graceSeconds: z.number().min(0),
    reaped: z.array(orphanSchema).min(1),
  }),
} as const;

export type HostOrphansReaped = z.infer<(typeof hostOrphanEventSchemas)['HostOrphansReaped.v1']>;

export function orphansStream(host: string): string {
  return `orphans-host-${host}`;
}

export type SpareReason = 'claimed' | 'younger-than-grace';

export interface OrphanVerdict {
  orphans: OrphanCandidate[];
  spared: Array<OrphanCandidate & { reason: SpareReason }>;
}

/** Which candidates are orphans: not claimed on the host, and at least graceSeconds old. */
export function judgeOrphans(candidates: readonly OrphanCandidate[], claimed: ReadonlySet<string>, graceSeconds: number): OrphanVerdict {
  const verdict: OrphanVerdict = { orphans: [], spared: [] };
  for (const candidate of candidates) {
    if (claimed.has(candidate.instanceId)) verdict.spared.push({ ...candidate, reason: 'claimed' });
    else if (candidate.ageSeconds < graceSeconds) verdict.spared.push({ ...candidate, reason: 'younger-than-grace' });
    else verdict.orphans.push(candidate);
  }
  return verdict;
}
