// The server list's query as Nova reads it: the caller's own project unless an admin
// asks for `all_tenants`, the name as a regular expression, status mapped to vm_state,
// filters a non-admin may not use (host) dropped, unknown parameters ignored.
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { VmState } from '../../domain/compute/instance.js';
import { DomainError } from '../../domain/decider.js';
import { PolicyForbiddenError } from '../../domain/policy/errors.js';
import type { InstanceListQuery } from '../../projections/instance-queries.js';
import { booleanQuery, pageLimit } from './paging.js';

export const serverListQuerystring = z
  .object({
    name: z.string().optional(),
    status: z.union([z.string(), z.array(z.string())]).optional(),
    image: z.string().optional(),
    flavor: z.string().optional(),
    host: z.string().optional(),
    all_tenants: z.string().optional(),
    project_id: z.string().optional(),
    tenant_id: z.string().optional(),
    'changes-since': z.string().optional(),
    limit: z.string().optional(),
    marker: z.string().optional(),
  })
  .loose();
export type ServerListQuerystring = z.infer<typeof serverListQuerystring>;

const VM_STATE_OF_STATUS: Readonly<Record<string, VmState>> = {
  BUILD: 'building',
  ACTIVE: 'active',
  SHUTOFF: 'stopped',
  ERROR: 'error',
  DELETED: 'deleted',
};

/** Statuses Nova knows that no strata server can be in: they match nothing. */
const OTHER_NOVA_STATUSES = [
  'REBUILD',
  'SOFT_DELETED',
  'REBOOT',
  'HARD_REBOOT',
  'PASSWORD',
  'RESIZE',
  'VERIFY_RESIZE',
  'REVERT_RESIZE',
  'MIGRATING',
  'PAUSED',
  'SUSPENDED',
  'RESCUE',
  'SHELVED',
  'SHELVED_OFFLOADED',
  'UNKNOWN',
];

/** From 2.38 an unknown status is 400; before, it simply matches no server. */
function vmStatesOf(status: string | string[] | undefined, request: FastifyRequest): VmState[] | null {
  if (status === undefined) return null;
  const states: VmState[] = [];
  for (const wanted of [status].flat().map((one) => one.toUpperCase())) {
    const state = VM_STATE_OF_STATUS[wanted];
    if (state) states.push(state);
    else if (!OTHER_NOVA_STATUSES.includes(wanted) && request.microversion.atLeast('2.38')) throw new DomainError('invalid', `Invalid status value: ${wanted}`);
  }
  return states;
}

function namePatternOf(name: string | undefined): RegExp | null {
  if (name === undefined) return null;
  try {
    return new RegExp(name);
  } catch {
    throw new DomainError('invalid', `Invalid regular expression in the name filter: ${name}`);
  }
}

/** A time filter's value as ISO-8601; 400 naming the parameter when it is not a time. */
export function timeOf(text: string | undefined, name = 'changes-since'): string | null {
  if (text === undefined) return null;
  const time = new Date(text);
  if (Number.isNaN(time.getTime())) throw new DomainError('invalid', `Invalid ${name} value: ${text}`);
  return time.toISOString();
}

/** `detailed` picks the policy the all-tenants check names (index or detail), as Nova does. */
export function serverListQueryOf(query: ServerListQuerystring, request: FastifyRequest, detailed: boolean): InstanceListQuery {
  const isAdmin = request.allowed('context_is_admin');
  const allTenants = query.all_tenants !== undefined && booleanQuery('all_tenants', query.all_tenants, true);
  if (allTenants) {
    const action = `os_compute_api:servers:${detailed ? 'detail' : 'index'}:get_all_tenants`;
    if (!request.allowed(action, { project_id: request.caller.project?.id ?? null })) throw new PolicyForbiddenError(action);
  }
  return {
    // Without all_tenants, Nova ignores a project filter: a caller lists its own project.
    projectId: allTenants ? (query.project_id ?? query.tenant_id ?? null) : (request.caller.project?.id ?? ''),
    namePattern: namePatternOf(query.name),
    vmStates: vmStatesOf(query.status, request),
    imageId: query.image ?? null,
    flavorId: query.flavor ?? null,
    host: isAdmin ? (query.host ?? null) : null,
    changesSince: timeOf(query['changes-since']),
    marker: query.marker ?? null,
    limit: pageLimit(query.limit),
  };
}
