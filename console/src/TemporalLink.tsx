// A link to a workflow in the Temporal UI, when the API told the console where that UI is.
import type { ReactElement } from 'react';
import { Icon } from './Icons';
import { useSettings } from './settings';

export function TemporalLink({ workflowId, runId, href }: { workflowId: string; runId?: string | null; href?: string | null }): ReactElement {
  const { temporalUiUrl, temporalNamespace } = useSettings();
  const base = temporalUiUrl ? `${temporalUiUrl}/namespaces/${encodeURIComponent(temporalNamespace)}/workflows/${encodeURIComponent(workflowId)}` : null;
  const url = href ?? (base && runId ? `${base}/${encodeURIComponent(runId)}/history` : base);
  if (!url) return <code>{workflowId}</code>;
  return (
    <a href={url} target="_blank" rel="noreferrer" className="external">
      <code>{workflowId}</code>
      <Icon name="external" />
      <span className="visually-hidden"> (opens the Temporal UI in a new tab)</span>
    </a>
  );
}
