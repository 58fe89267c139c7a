// Reads of the compute hosts read model, as host states the domain functions
// (freeResources, planPlacement, hostDownReason) take.
import type { HostRegistration, Resources } from '../domain/compute/host.js';
import type { CandidateHost } from '../domain/compute/scheduler.js';
import type { ReadModelDatabase } from './read-model.js';

export interface HostRecord extends CandidateHost {
  /** Nova's integer hypervisor id (microversions before 2.53): the order hosts first registered in. */
  id: number;
}

interface HostRow {
  id: number;
  host: string;
  registration: string;
  enabled: number;
  disabled_reason: string | null;
  heartbeat_at: string | null;
  interval_seconds: number | null;
}

interface ClaimRow {
  host: string;
  instance_id: string;
  vcpus: number;
  ram_mb: number;
  disk_gb: number;
}

export function hostQueries(db: ReadModelDatabase) {
  const hosts = db.prepare<[], HostRow>(
    `SELECT h.id, h.host, h.registration, h.enabled, h.disabled_reason, b.at AS heartbeat_at, b.interval_seconds
       FROM compute_hosts h LEFT JOIN compute_host_heartbeats b ON b.host = h.host ORDER BY h.id`,
  );
  const claims = db.prepare<[], ClaimRow>('SELECT * FROM compute_host_claims');
  const all = (): HostRecord[] => {
    // Both reads in one transaction: a claim and its host come from the same moment.
    const { rows, claimRows } = db.transaction(() => ({ rows: hosts.all(), claimRows: claims.all() }))();
    const claimsOf = new Map<string, Map<string, Resources>>();
    for (const claim of claimRows) {
      const held = claimsOf.get(claim.host) ?? new Map<string, Resources>();
      held.set(claim.instance_id, { vcpus: claim.vcpus, ramMb: claim.ram_mb, diskGb: claim.disk_gb });
      claimsOf.set(claim.host, held);
    }
    return rows.map((row) => ({
      id: row.id,
      state: {
        registration: JSON.parse(row.registration) as HostRegistration,
        enabled: row.enabled === 1,
        disabledReason: row.disabled_reason,
        claims: claimsOf.get(row.host) ?? new Map(),
      },
      heartbeat: row.heartbeat_at === null || row.interval_seconds === null ? null : { at: row.heartbeat_at, intervalSeconds: row.interval_seconds },
    }));
  };
  return { all };
}

export type HostQueries = ReturnType<typeof hostQueries>;
