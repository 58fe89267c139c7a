// Nova's os-services, for the one service strata runs per host (nova-compute): list them,
// and let an operator disable a host (with a reason) or enable it again. From 2.53 a
// service is updated by its UUID; before, by host and binary through the action paths
// `enable`, `disable` and `disable-log-reason`.
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { HostAdministration } from '../../application/hosts/host-administration.js';
import { requestMetadata } from '../../application/metadata.js';
import { hostDownReason } from '../../domain/compute/host-heartbeat.js';
import { DomainError } from '../../domain/decider.js';
import type { HostQueries, HostRecord } from '../../projections/host-queries.js';
import { computeServiceUuid } from './hypervisors.js';
import type { Microversion } from './microversion.js';
import { many, one } from '../responses.js';

export interface ComputeServiceRouteOptions {
  hosts: HostQueries;
  hostAdministration: HostAdministration;
}

const BINARY = 'nova-compute';
const LEGACY_ACTIONS = ['enable', 'disable', 'disable-log-reason'] as const;

function serviceId(record: HostRecord, microversion: Microversion): number | string {
  return microversion.atLeast('2.53') ? computeServiceUuid(record.state.registration.host) : record.id;
}

function serviceView(record: HostRecord, microversion: Microversion, now: Date) {
  const { registration, enabled, disabledReason } = record.state;
  return {
    id: serviceId(record, microversion),
    binary: BINARY,
    host: registration.host,
    zone: registration.availabilityZone,
    status: enabled ? 'enabled' : 'disabled',
    state: hostDownReason(record.heartbeat, now) === null ? 'up' : 'down',
    updated_at: record.heartbeat?.at ?? null,
    disabled_reason: disabledReason,
    ...(microversion.atLeast('2.11') ? { forced_down: false } : {}),
  };
}

const listQuery = z.looseObject({ host: z.string().optional(), binary: z.string().optional() });
const serviceParams = z.object({ serviceId: z.string().min(1).max(255) });
const reason = z.string().min(1).max(255);
const updateBody = z.strictObject({ status: z.enum(['enabled', 'disabled']).optional(), disabled_reason: reason.optional() });
const legacyBody = z.looseObject({ host: z.string().min(1), binary: z.string().min(1), disabled_reason: reason.optional() });

function parsed<Schema extends z.ZodType>(schema: Schema, body: unknown): z.infer<Schema> {
  const result = schema.safeParse(body);
  if (!result.success) throw new DomainError('invalid', `Invalid input: ${z.prettifyError(result.error).replace(/\n\s*/g, ' ')}`);
  return result.data;
}

export const computeServiceRoutes: FastifyPluginAsyncZod<ComputeServiceRouteOptions> = async (app, { hosts, hostAdministration }) => {
  const setEnabled = (request: FastifyRequest, record: HostRecord, enabled: boolean, disabledReason: string | null) =>
    hostAdministration.setEnabled(record.state.registration.host, enabled, disabledReason, requestMetadata(request.caller, request.id));
  const reread = (record: HostRecord): HostRecord => hosts.all().find((each) => each.id === record.id) ?? record;

  app.get('/os-services', { schema: { summary: 'List compute services', response: { 200: many('services', {}) }, querystring: listQuery }, config: { policy: 'os_compute_api:os-services:list' } }, async (request) => {
    request.authorize();
    const { host, binary } = request.query;
    const records = binary !== undefined && binary !== BINARY ? [] : hosts.all().filter((record) => host === undefined || record.state.registration.host === host);
    const now = new Date();
    return { services: records.map((record) => serviceView(record, request.microversion, now)) };
  });

  app.put(
    '/os-services/:serviceId',
    { schema: { summary: 'Enable or disable a compute service', response: { 200: one('service', {}) }, params: serviceParams, body: z.unknown() }, config: { policy: 'os_compute_api:os-services:update' } },
    async (request) => {
      request.authorize();
      const { microversion } = request;
      const action = LEGACY_ACTIONS.find((name) => name === request.params.serviceId);
      if (!microversion.atLeast('2.53')) {
        if (!action) throw new DomainError('not_found', `Unknown action ${request.params.serviceId}.`);
        const body = parsed(legacyBody, request.body);
        const record = hosts.all().find((each) => each.state.registration.host === body.host && body.binary === BINARY);
        if (!record) throw new DomainError('not_found', `Service ${body.binary} on host ${body.host} could not be found.`);
        if (action === 'disable-log-reason' && body.disabled_reason === undefined) throw new DomainError('invalid', 'Missing disabled reason field');
        const disabledReason = action === 'disable-log-reason' ? (body.disabled_reason ?? null) : null;
        await setEnabled(request, record, action === 'enable', disabledReason);
        return { service: { host: body.host, binary: BINARY, status: action === 'enable' ? 'enabled' : 'disabled', ...(disabledReason === null ? {} : { disabled_reason: disabledReason }) } };
      }
      const record = hosts.all().find((each) => serviceId(each, microversion) === request.params.serviceId);
      if (!record) throw new DomainError('not_found', `Service ${request.params.serviceId} could not be found.`);
      const body = parsed(updateBody, request.body);
      if (body.status === undefined) throw new DomainError('invalid', body.disabled_reason === undefined ? 'No updates were requested.' : "'status' is required with 'disabled_reason'.");
      if (body.status === 'enabled' && body.disabled_reason !== undefined) throw new DomainError('invalid', "Specifying 'disabled_reason' with status 'enabled' is invalid.");
      await setEnabled(request, record, body.status === 'enabled', body.disabled_reason ?? null);
      return { service: serviceView(reread(record), microversion, new Date()) };
    },
  );
};
