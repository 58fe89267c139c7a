// The compute hosts read model: what each host registered, whether it is enabled, when
// it last sent a heartbeat, and the claims instances hold on it. The API's hypervisor and
// availability-zone views read it, and so does the scheduler, which then decides the
// claim itself on the host's stream.
import type { Statement } from 'better-sqlite3';
import type { HostHeartbeat } from '../domain/compute/host-heartbeat.js';
import { hostHeartbeatEventSchemas } from '../domain/compute/host-heartbeat.js';
import type { HostEvent } from '../domain/compute/host.js';
import { hostEventSchemas, hostStream } from '../domain/compute/host.js';
import type { RecordedEvent } from '../eventstore/port.js';
import { defineProjection } from './projection.js';

const TABLES = ['compute_hosts', 'compute_host_heartbeats', 'compute_host_claims'] as const;

type Row = Record<string, string | number | null>;
type HandledEvent = HostEvent | { type: 'HostHeartbeat.v1'; data: HostHeartbeat };
type Statements = Record<HandledEvent['type'], Statement<[Row]>>;

const HOST_STREAM_PREFIX = hostStream('');

export const hostsProjection = defineProjection({
  name: 'hosts',
  version: 2,
  tables: TABLES,
  filter: { eventTypes: [...Object.keys(hostEventSchemas), ...Object.keys(hostHeartbeatEventSchemas)] },
  // `id` is the hypervisor's number in Nova's older microversions: hosts are numbered in
  // the order they first registered, which a rebuild replays identically.
  createTables: (t) => `
    CREATE TABLE ${t.compute_hosts} (id INTEGER PRIMARY KEY, host TEXT NOT NULL UNIQUE, availability_zone TEXT NOT NULL,
      registration TEXT NOT NULL, enabled INTEGER NOT NULL DEFAULT 1, disabled_reason TEXT) STRICT;
    CREATE TABLE ${t.compute_host_heartbeats} (host TEXT PRIMARY KEY, at TEXT NOT NULL, interval_seconds REAL NOT NULL) STRICT;
    CREATE TABLE ${t.compute_host_claims} (host TEXT NOT NULL, instance_id TEXT NOT NULL, vcpus INTEGER NOT NULL,
      ram_mb INTEGER NOT NULL, disk_gb INTEGER NOT NULL, PRIMARY KEY (host, instance_id)) STRICT`,
  prepare: (db, t): Statements => ({
    'HostRegistered.v1': db.prepare(
      `INSERT INTO ${t.compute_hosts} (host, availability_zone, registration) VALUES (@host, @availabilityZone, @registration)
       ON CONFLICT (host) DO UPDATE SET availability_zone = excluded.availability_zone, registration = excluded.registration`,
    ),
    'HostStatusChanged.v1': db.prepare(`UPDATE ${t.compute_hosts} SET enabled = @enabled, disabled_reason = @reason WHERE host = @host`),
    'ResourcesClaimed.v1': db.prepare(
      `INSERT OR REPLACE INTO ${t.compute_host_claims} VALUES (@host, @instanceId, @vcpus, @ramMb, @diskGb)`,
    ),
    'ResourcesReleased.v1': db.prepare(`DELETE FROM ${t.compute_host_claims} WHERE host = @host AND instance_id = @instanceId`),
    'HostHeartbeat.v1': db.prepare(
      `INSERT INTO ${t.compute_host_heartbeats} VALUES (@host, @at, @intervalSeconds)
       ON CONFLICT (host) DO UPDATE SET at = excluded.at, interval_seconds = excluded.interval_seconds`,
    ),
  }),
  apply: (statements, event: RecordedEvent) => {
    const handled = event as unknown as HandledEvent;
    const host = handled.type === 'HostHeartbeat.v1' ? handled.data.host : event.stream.slice(HOST_STREAM_PREFIX.length);
    statements[handled.type].run(rowOf(handled, host));
  },
});

function rowOf(event: HandledEvent, host: string): Row {
  switch (event.type) {
    case 'HostRegistered.v1':
      return { host, availabilityZone: event.data.availabilityZone, registration: JSON.stringify(event.data) };
    case 'HostStatusChanged.v1':
      return { host, enabled: Number(event.data.enabled), reason: event.data.reason };
    case 'ResourcesClaimed.v1':
    case 'ResourcesReleased.v1':
    case 'HostHeartbeat.v1':
      return { ...event.data, host };
  }
}
