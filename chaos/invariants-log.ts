// Invariants checked on the durable state once the system is quiet: the event log (ids
// unique, per-stream revisions contiguous, hash chains intact), the API's live read model
// (equal to a rebuild from position 0), and host claims (equal to the live instances'
// flavors).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EventStore } from '../eventstore/port.js';
import { allProjections } from '../projections/all.js';
import { liveTableNames } from '../projections/projection.js';
import { openReadModel, type ReadModelDatabase } from '../projections/read-model.js';
import { rebuildProjection } from '../projections/rebuild.js';
import { logPages, verifyChains, VERIFY_PAGE_SIZE } from '../projections/verify-chains.js';
import { waitUntil } from '../runtime/wait.js';

export interface Violation {
  invariant: string;
  detail: string;
}

export async function checkEventLog(store: EventStore): Promise<{ events: number; streams: number; violations: Violation[] }> {
  const violations: Violation[] = [];
  const ids = new Set<string>();
  const nextRevision = new Map<string, number>();
  for await (const page of logPages(store, VERIFY_PAGE_SIZE)) {
    for (const event of page) {
      if (ids.has(event.id)) violations.push({ invariant: 'unique event ids', detail: `${event.id} (${event.type} in ${event.stream}) recorded twice` });
      ids.add(event.id);
      const expected = nextRevision.get(event.stream) ?? 0;
      if (event.revision !== expected) {
        violations.push({ invariant: 'contiguous stream revisions', detail: `${event.stream}: revision ${event.revision} where ${expected} was next` });
      }
      nextRevision.set(event.stream, event.revision + 1);
    }
  }
  const chains = await verifyChains(store);
  if (!chains.ok) violations.push({ invariant: 'hash chains verify', detail: `${chains.broken.eventId} (${chains.broken.type}): ${JSON.stringify(chains.broken)}` });
  return { events: ids.size, streams: nextRevision.size, violations };
}

const rowsOf = (db: ReadModelDatabase, table: string) => db.prepare(`SELECT * FROM ${table}`).all().map((row) => JSON.stringify(row)).sort();

/** Waits for the API's runner to reach the head, then compares every projection's tables with a fresh rebuild. */
export async function checkReadModels(liveDbPath: string, store: EventStore): Promise<Violation[]> {
  const head = await store.headPosition();
  const live = openReadModel(liveDbPath);
  const scratch = mkdtempSync(join(tmpdir(), 'strata-chaos-rebuild-'));
  const rebuilt = openReadModel(join(scratch, 'rebuilt.db'));
  try {
    const positions = live.prepare<[], { position: number }>('SELECT position FROM projection_checkpoints');
    try {
      await waitUntil('the live read model to reach the head of the log', async () => {
        const rows = positions.all();
        return rows.length >= allProjections.length && rows.every((row) => row.position >= head);
      }, { timeoutMs: 60_000, intervalMs: 250 });
    } catch (error) {
      return [{ invariant: 'read models equal their rebuild', detail: error instanceof Error ? error.message : String(error) }];
    }
    const violations: Violation[] = [];
    for (const projection of allProjections) {
      await rebuildProjection(rebuilt, store, projection);
      for (const table of Object.values(liveTableNames(projection))) {
        const [mine, theirs] = [rowsOf(live, table), rowsOf(rebuilt, table)];
        const missing = theirs.filter((row) => !mine.includes(row));
        const extra = mine.filter((row) => !theirs.includes(row));
        if (missing.length || extra.length) {
          violations.push({
            invariant: 'read models equal their rebuild',
            detail: `${projection.name}.${table}: ${missing.length} rows only in the rebuild (${missing.slice(0, 2).join(' ')}), ${extra.length} only live (${extra.slice(0, 2).join(' ')})`,
          });
        }
      }
    }
    return violations;
  } finally {
    live.close();
    rebuilt.close();
    rmSync(scratch, { recursive: true, force: true });
  }
}

interface ClaimSum {
  host: string;
  vcpus: number;
  ram_mb: number;
  disk_gb: number;
}

/** Per host: the claims recorded vs. the flavors of the instances that still hold one (building or active). */
export function checkHostClaims(liveDbPath: string): Violation[] {
  const db = openReadModel(liveDbPath);
  try {
    const claimed = db
      .prepare<[], ClaimSum>('SELECT host, sum(vcpus) AS vcpus, sum(ram_mb) AS ram_mb, sum(disk_gb) AS disk_gb FROM compute_host_claims GROUP BY host')
      .all();
    const expected = db
      .prepare<[], ClaimSum>(
        `SELECT i.host AS host, sum(f.vcpus) AS vcpus, sum(f.ram_mb) AS ram_mb, sum(f.disk_gb + f.ephemeral_gb + (f.swap_mb + 1023) / 1024) AS disk_gb
         FROM instances i JOIN flavors f ON f.id = i.flavor_id
         WHERE i.host IS NOT NULL AND i.vm_state IN ('active', 'building', 'stopped') GROUP BY i.host`,
      )
      .all();
    const key = (sum: ClaimSum) => `${sum.vcpus} vCPU, ${sum.ram_mb} MB, ${sum.disk_gb} GB`;
    const hosts = new Set([...claimed, ...expected].map((sum) => sum.host));
    const violations: Violation[] = [];
    for (const host of hosts) {
      const has = claimed.find((sum) => sum.host === host) ?? { host, vcpus: 0, ram_mb: 0, disk_gb: 0 };
      const should = expected.find((sum) => sum.host === host) ?? { host, vcpus: 0, ram_mb: 0, disk_gb: 0 };
      if (key(has) !== key(should)) violations.push({ invariant: 'host claims equal live instances', detail: `${host}: claims ${key(has)}, live instances ${key(should)}` });
    }
    return violations;
  } finally {
    db.close();
  }
}
