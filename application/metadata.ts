// Event metadata for a command made through the API: who (the caller), in which request.
import type { Caller } from '../domain/identity/caller.js';
import type { EventMetadata } from '../eventstore/port.js';

export function requestMetadata(caller: Caller | null, requestId: string, causationId: string | null = null): EventMetadata {
  return {
    actor: caller ? { userId: caller.userId, projectId: caller.project?.id ?? null, roles: caller.roles.map((role) => role.name) } : null,
    requestId,
    correlationId: requestId,
    causationId,
    workflowId: null,
    runId: null,
    activity: null,
    timestamp: new Date().toISOString(),
  };
}
