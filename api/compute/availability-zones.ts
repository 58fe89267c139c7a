// Nova's os-availability-zone: the zones compute hosts registered in. A zone is available
// while one of its hosts is enabled and up; the detail (admins) lists each host's
// nova-compute service as `openstack availability zone list --long` shows it.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { hostDownReason } from '../../domain/compute/host-heartbeat.js';
import type { HostQueries, HostRecord } from '../../projections/host-queries.js';
import { many } from '../responses.js';

const zoneList = many('availabilityZoneInfo', { zoneName: z.string() });

export interface AvailabilityZoneRouteOptions {
  hosts: HostQueries;
}

interface Zone {
  name: string;
  hosts: Array<{ record: HostRecord; up: boolean }>;
}

function zonesOf(records: readonly HostRecord[], now: Date): Zone[] {
  const zones = new Map<string, Zone>();
  for (const record of records) {
    const name = record.state.registration.availabilityZone;
    const zone = zones.get(name) ?? { name, hosts: [] };
    zone.hosts.push({ record, up: hostDownReason(record.heartbeat, now) === null });
    zones.set(name, zone);
  }
  return [...zones.values()].sort((a, b) => a.name.localeCompare(b.name));
}

const zoneState = (zone: Zone) => ({ available: zone.hosts.some(({ record, up }) => up && record.state.enabled) });

export const availabilityZoneRoutes: FastifyPluginAsyncZod<AvailabilityZoneRouteOptions> = async (app, { hosts }) => {
  app.get('/os-availability-zone', { schema: { summary: 'List availability zones', response: { 200: zoneList } }, config: { policy: 'os_compute_api:os-availability-zone:list' } }, async (request) => {
    request.authorize();
    return { availabilityZoneInfo: zonesOf(hosts.all(), new Date()).map((zone) => ({ zoneName: zone.name, zoneState: zoneState(zone), hosts: null })) };
  });

  app.get(
    '/os-availability-zone/detail',
    { schema: { summary: 'List availability zones with their hosts', response: { 200: zoneList } }, config: { policy: 'os_compute_api:os-availability-zone:detail' } },
    async (request) => {
      request.authorize();
      return {
        availabilityZoneInfo: zonesOf(hosts.all(), new Date()).map((zone) => ({
          zoneName: zone.name,
          zoneState: zoneState(zone),
          hosts: Object.fromEntries(
            zone.hosts.map(({ record, up }) => [
              record.state.registration.host,
              { 'nova-compute': { available: up, active: record.state.enabled, updated_at: record.heartbeat?.at ?? null } },
            ]),
          ),
        })),
      };
    },
  );
};
