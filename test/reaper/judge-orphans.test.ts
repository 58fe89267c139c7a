// The reaper's verdict, pure: a claim on the host protects whatever its age; an unclaimed
// QEMU or directory is an orphan only from the grace age on (the boundary counts as old).
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { OrphanCandidate } from '../../domain/compute/host-orphans.js';
import { judgeOrphans } from '../../domain/compute/host-orphans.js';

const candidate = (ageSeconds: number, qemuPid: number | null = null): OrphanCandidate => ({ instanceId: randomUUID(), qemuPid, directory: `/h/instances/${ageSeconds}`, ageSeconds });

describe('judgeOrphans', () => {
  it('spares claimed instances and young leftovers, and names the rest orphans', () => {
    const claimedOld = candidate(10_000, 4242);
    const young = candidate(299.5);
    const atGrace = candidate(300);
    const old = candidate(3_600, 77);
    const verdict = judgeOrphans([claimedOld, young, atGrace, old], new Set([claimedOld.instanceId]), 300);
    expect(verdict.orphans).toEqual([atGrace, old]);
    expect(verdict.spared).toEqual([
      { ...claimedOld, reason: 'claimed' },
      { ...young, reason: 'younger-than-grace' },
    ]);
  });

  it('with no grace, everything unclaimed is an orphan; with nothing found, nothing is', () => {
    const fresh = candidate(0);
    expect(judgeOrphans([fresh], new Set(), 0)).toEqual({ orphans: [fresh], spared: [] });
    expect(judgeOrphans([], new Set([randomUUID()]), 300)).toEqual({ orphans: [], spared: [] });
  });
});
