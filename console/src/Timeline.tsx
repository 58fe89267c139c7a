// An instance's lifecycle, event by event, from its audit stream (GET /ops/v1/audit/…):
// what happened, when, who or which workflow step caused it.
import type { ReactElement } from 'react';
import { useApi } from './api-context';
import { formatTime } from './format';
import { Notice } from './Notice';
import { usePolling } from './polling';
import { auditOf, type AuditEvent } from './resources';
import { TemporalLink } from './TemporalLink';

/** `InstanceBooted.v1` → `Instance booted`; `VmStarted.v1` → `VM started`. */
export function eventTitle(type: string): string {
  const words = type.replace(/\.v\d+$/, '').replace(/([a-z])([A-Z])/g, '$1 $2').split(' ');
  return words.map((word, index) => (word === 'Vm' ? 'VM' : index === 0 ? word : word.toLowerCase())).join(' ');
}

/** The facts of an event an operator reads in a timeline (paths and hashes stay in the audit API). */
const SHOWN_FACTS = ['host', 'availabilityZone', 'attempt', 'step', 'message', 'sizeGb'];

function factsOf({ data }: AuditEvent): string {
  return SHOWN_FACTS.filter((key) => data[key] !== undefined && data[key] !== null && typeof data[key] !== 'object')
    .map((key) => `${key}: ${String(data[key] as string | number | boolean)}`)
    .join(' · ');
}

function causeOf({ metadata }: AuditEvent): string {
  if (metadata.activity) return `activity ${metadata.activity}`;
  if (metadata.actor) return `user ${metadata.actor.userId}${metadata.actor.roles.length ? ` (${metadata.actor.roles.join(', ')})` : ''}`;
  return 'strata';
}

export function Timeline({ instanceId }: { instanceId: string }): ReactElement {
  const api = useApi();
  const audit = usePolling(() => auditOf(api, instanceId));

  return (
    <section aria-labelledby="timeline-title" className="card">
      <h2 id="timeline-title">Timeline</h2>
      {audit.error && <Notice kind="error">{audit.error}</Notice>}
      {audit.data && (
        <ol className="timeline" aria-live="polite" aria-relevant="additions">
          {audit.data.map((event) => (
            <li key={event.id} data-event-type={event.type}>
              <span className="timeline-dot" aria-hidden="true" />
              <div>
                <strong>{eventTitle(event.type)}</strong> <time dateTime={event.metadata.timestamp}>{formatTime(event.metadata.timestamp)}</time>
                {factsOf(event) && <div className="event-facts">{factsOf(event)}</div>}
                <div className="muted">
                  #{event.revision} · {causeOf(event)}
                  {event.metadata.workflowId && (
                    <>
                      {' · '}
                      <TemporalLink workflowId={event.metadata.workflowId} runId={event.metadata.runId} />
                    </>
                  )}
                </div>
              </div>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
