// Failed operations (GET /ops/v1/failures): what failed, in which step, on which host and
// why, with Retry (while the launch waits for a decision) and Delete for the instance, and
// a link to the workflow run in the Temporal UI.
import { useState, type ReactElement } from 'react';
import { useApi } from './api-context';
import { DataTable } from './DataTable';
import { formatTime } from './format';
import { InstanceActions } from './InstanceActions';
import { Notice } from './Notice';
import { usePolling } from './polling';
import { listFailures, type Failure } from './resources';
import { hrefOf } from './router';
import { TemporalLink } from './TemporalLink';

const shortId = (id: string) => id.slice(0, 8);

function InstanceCell({ failure }: { failure: Failure }): ReactElement {
  if (!failure.instance_id) return <>—</>;
  return (
    <a href={hrefOf({ page: 'instance', id: failure.instance_id })}>
      <code>{shortId(failure.instance_id)}</code>
    </a>
  );
}

export function FailuresPage(): ReactElement {
  const api = useApi();
  const failures = usePolling(() => listFailures(api));
  const [actionError, setActionError] = useState<string>();
  const [sent, setSent] = useState<string>();

  return (
    <section aria-labelledby="failures-title">
      <h1 id="failures-title">Failed operations</h1>
      <p className="live" aria-live="polite">
        {sent}
      </p>
      {failures.error && <Notice kind="error">{failures.error}</Notice>}
      {actionError && <Notice kind="error">{actionError}</Notice>}
      {failures.data?.length === 0 && <Notice kind="info">Nothing has failed.</Notice>}
      {failures.data && failures.data.length > 0 && (
        <DataTable caption="Failed operations, refreshed every two seconds" columns={['Instance', 'Operation', 'Step', 'Host', 'Cause', 'Attempts', 'When', 'Workflow', 'Actions']}>
          {failures.data.map((failure) => (
            <tr key={`${failure.workflow_id ?? failure.instance_id ?? ''}/${failure.run_id ?? ''}`} data-instance-id={failure.instance_id ?? undefined}>
              <th scope="row">
                <InstanceCell failure={failure} />
              </th>
              <td>{failure.operation}</td>
              <td>{failure.step ?? '—'}</td>
              <td>{failure.host ?? '—'}</td>
              <td className="cause">{failure.cause}</td>
              <td>{failure.attempts ?? '—'}</td>
              <td>
                {formatTime(failure.failed_at)}
                {failure.awaiting_decision && <div className="muted">awaiting a decision until {formatTime(failure.decision_until)}</div>}
              </td>
              <td>{failure.workflow_id ? <TemporalLink workflowId={failure.workflow_id} runId={failure.run_id} href={failure.workflow_url} /> : '—'}</td>
              <td>
                {failure.instance_id && (
                  <InstanceActions
                    server={{ id: failure.instance_id, name: shortId(failure.instance_id) }}
                    canRetry={failure.awaiting_decision}
                    onDone={() => {
                      setSent(`Sent for instance ${shortId(failure.instance_id ?? '')}.`);
                      failures.refresh();
                    }}
                    onError={setActionError}
                  />
                )}
              </td>
            </tr>
          ))}
        </DataTable>
      )}
    </section>
  );
}
