// A launch as it happens: the server's status and task, and each step recorded in its
// audit stream so far, until it is ACTIVE or ERROR.
import type { ReactElement } from 'react';
import { useApi } from './api-context';
import { Notice } from './Notice';
import { usePolling } from './polling';
import { auditOf, showServer } from './resources';
import { hrefOf } from './router';
import { StatusBadge } from './StatusBadge';
import { eventTitle } from './Timeline';

const STEP_INTERVAL_MS = 1000;

export function LaunchProgress({ instanceId }: { instanceId: string }): ReactElement {
  const api = useApi();
  const server = usePolling(() => showServer(api, instanceId), STEP_INTERVAL_MS);
  const settled = server.data !== undefined && server.data.status !== 'BUILD';
  const steps = usePolling(() => auditOf(api, instanceId), settled ? null : STEP_INTERVAL_MS);

  return (
    <section className="card" aria-labelledby="progress-title" data-testid="launch-progress">
      <div className="page-head">
        <h2 id="progress-title">Launch of {server.data?.name ?? instanceId}</h2>
        {server.data && <StatusBadge status={server.data.status} />}
      </div>
      <p aria-live="polite" data-testid="launch-state">
        {server.data ? `${server.data.status}${server.data['OS-EXT-STS:task_state'] ? ` (${server.data['OS-EXT-STS:task_state']})` : ''}` : 'Requested'}
      </p>
      {steps.error && <Notice kind="error">{steps.error}</Notice>}
      <ol className="steps" aria-label="Steps so far">
        {(steps.data ?? []).map((event) => (
          <li key={event.id}>{eventTitle(event.type)}</li>
        ))}
      </ol>
      {server.data?.fault && <Notice kind="error">{server.data.fault.message}</Notice>}
      <a href={hrefOf({ page: 'instance', id: instanceId })}>Open the instance</a>
    </section>
  );
}
