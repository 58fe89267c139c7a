// Property protections on the caller's behalf: which extra properties a response may
// show, and whether a create or patch may create, update or delete the ones it touches.
import type { FastifyRequest } from 'fastify';
import { DomainError } from '../../domain/decider.js';
import { credentialsOf } from '../../domain/identity/caller.js';
import type { PropertyAction } from '../../domain/image/patch-plan.js';
import type { PolicyDecider } from '../../domain/policy/enforcer.js';
import { filterReadable, isAllowed } from '../../domain/protections/check.js';
import type { PropertyProtections } from '../../domain/protections/protections.js';

/** Policies-format protections name rules; they are decided for this request's caller. */
function policiesOf(request: FastifyRequest): PolicyDecider {
  return { enforce: (action, target) => request.allowed(action, target) };
}

export function readablePropertiesFor(request: FastifyRequest, protections: PropertyProtections | null) {
  if (!protections) return undefined;
  const credentials = credentialsOf(request.caller);
  return (properties: Record<string, string>) => filterReadable(properties, protections, credentials, policiesOf(request));
}

export function assertMayChangeProperties(
  request: FastifyRequest,
  protections: PropertyProtections | null,
  actions: ReadonlyArray<{ key: string; action: PropertyAction }>,
): void {
  if (!protections) return;
  const credentials = credentialsOf(request.caller);
  const refused = actions.find(({ key, action }) => !isAllowed(protections, key, action, credentials, policiesOf(request)));
  if (refused) throw new DomainError('forbidden', `Property '${refused.key}' is protected: ${refused.action} is not allowed.`);
}
