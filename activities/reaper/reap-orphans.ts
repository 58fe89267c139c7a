// One pass of the orphan reaper on a compute host: scan what runs and lies under the
// host's `instances/`, read which instances hold a claim on the host (after the scan, so
// an instance that claims during the pass is already protected when it is judged), and
// remove every orphan the way a delete removes an instance — QEMU stopped, ephemeral disk
// wiped per the clear mode, directory removed — recording what was removed as one
// `HostOrphansReaped` event. Each orphan's claim is checked once more right before it is
// removed, so an operator's retry that claims it meanwhile keeps it.
import { randomUUID } from 'node:crypto';
import type { OrphanCandidate, OrphanVerdict } from '../../domain/compute/host-orphans.js';
import { judgeOrphans, orphansStream } from '../../domain/compute/host-orphans.js';
import { hostDecider, hostStream } from '../../domain/compute/host.js';
import type { HostEvent } from '../../domain/compute/host.js';
import { fold } from '../../domain/decider.js';
import type { EventMetadata, EventStore } from '../../eventstore/port.js';
import { stopVm } from '../../hypervisor/vm-process.js';
import type { WipeMode } from '../launch/disk-wipe.js';
import type { HostLayout } from '../launch/host-layout.js';
import { removeInstance } from '../launch/instance-removal.js';
import { scanInstances } from './orphan-scan.js';

export interface ReaperSettings {
  host: string;
  layout: HostLayout;
  events: EventStore;
  /** Anything younger than this is spared whoever owns it (compute.orphanGraceSeconds). */
  graceSeconds: number;
  /** How an orphan's ephemeral disk is wiped (compute.ephemeralClear). */
  clear: WipeMode;
}

export interface ReapOptions {
  /** Report what would be removed, remove nothing, record nothing. */
  dryRun: boolean;
  metadata: EventMetadata;
  log: (line: string) => void;
}

export interface ReapReport {
  host: string;
  dryRun: boolean;
  /** Removed (or, in a dry run, what would be). */
  reaped: OrphanCandidate[];
  spared: OrphanVerdict['spared'];
  /** Position of the HostOrphansReaped event, or null when nothing was removed. */
  position: number | null;
}

async function claimedOn(events: EventStore, host: string): Promise<Set<string>> {
  const history = (await events.readStream(hostStream(host))) as unknown as HostEvent[];
  return new Set(fold(hostDecider, history).claims.keys());
}

async function removeOrphan({ layout, clear }: ReaperSettings, orphan: OrphanCandidate): Promise<void> {
  const paths = layout.instance(orphan.instanceId);
  // Found in /proc, so stopped by pid: its pidfile may be gone with its directory.
  if (orphan.qemuPid !== null) await stopVm({ runDir: paths.dir, pid: orphan.qemuPid });
  // Not powered down politely: nobody owns this guest (Nova's reap is a hard power-off too).
  await removeInstance(paths, { clear, graceMs: 0 });
}

export async function reapOrphans(settings: ReaperSettings, { dryRun, metadata, log }: ReapOptions): Promise<ReapReport> {
  const { host, events, graceSeconds } = settings;
  const found = await scanThenJudge(settings);
  const reaped: OrphanCandidate[] = [];
  const spared = [...found.spared];
  const failures: string[] = [];
  for (const orphan of found.orphans) {
    if (dryRun) {
      reaped.push(orphan);
    } else if ((await claimedOn(events, host)).has(orphan.instanceId)) {
      spared.push({ ...orphan, reason: 'claimed' });
    } else {
      // One orphan that resists must not keep the others, or the record of what went, from happening.
      await removeOrphan(settings, orphan).then(
        () => reaped.push(orphan),
        (error: unknown) => failures.push(`${orphan.instanceId}: ${error instanceof Error ? error.message : String(error)}`),
      );
    }
  }
  let position: number | null = null;
  if (!dryRun && reaped.length > 0) {
    const event = { id: randomUUID(), type: 'HostOrphansReaped.v1', data: { host, graceSeconds, reaped }, metadata };
    position = (await events.append(orphansStream(host), [event], { expected: 'any' })).positions[0] ?? null;
  }
  const report = { host, dryRun, reaped, spared, position };
  log(describeReap(report));
  // Failing the pass makes the activity retry; the retry scans again and finds only what is left.
  if (failures.length > 0) throw new Error(`host ${host}: could not remove ${failures.length} orphan(s): ${failures.join('; ')}`);
  return report;
}

async function scanThenJudge(settings: ReaperSettings): Promise<OrphanVerdict> {
  const candidates = await scanInstances(settings.layout);
  return judgeOrphans(candidates, await claimedOn(settings.events, settings.host), settings.graceSeconds);
}

function describeOrphan(orphan: OrphanCandidate): string {
  const parts = [orphan.qemuPid === null ? null : `QEMU pid ${orphan.qemuPid}`, orphan.directory === null ? null : 'directory'].filter((part) => part !== null);
  return `${orphan.instanceId} (${parts.join(' + ')}, ${Math.round(orphan.ageSeconds)} s old)`;
}

export function describeReap({ host, dryRun, reaped, spared }: ReapReport): string {
  const verb = dryRun ? 'would reap' : 'reaped';
  const lines = [`host ${host}: ${verb} ${reaped.length} orphan(s), spared ${spared.length}`];
  for (const orphan of reaped) lines.push(`  ${verb} ${describeOrphan(orphan)}`);
  for (const kept of spared) lines.push(`  spared ${describeOrphan(kept)}: ${kept.reason}`);
  return lines.join('\n');
}
