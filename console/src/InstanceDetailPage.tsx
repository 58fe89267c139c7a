// One instance: its facts, its fault when it failed, a link to its launch workflow, its
// lifecycle timeline and its console log.
import { useState, type ReactElement } from 'react';
import { useApi } from './api-context';
import { ConsoleLog } from './ConsoleLog';
import { formatTime } from './format';
import { InstanceActions } from './InstanceActions';
import { Notice } from './Notice';
import { usePolling } from './polling';
import { showServer } from './resources';
import { StatusBadge } from './StatusBadge';
import { TemporalLink } from './TemporalLink';
import { Timeline } from './Timeline';

export function InstanceDetailPage({ id }: { id: string }): ReactElement {
  const api = useApi();
  const server = usePolling(() => showServer(api, id));
  const [actionError, setActionError] = useState<string>();
  const data = server.data;
  const volumes = data?.['os-extended-volumes:volumes_attached'] ?? [];

  return (
    <section aria-labelledby="instance-title">
      <div className="page-head">
        <h1 id="instance-title">{data ? data.name : 'Instance'}</h1>
        {data && <StatusBadge status={data.status} />}
      </div>
      {server.error && <Notice kind="error">{server.error}</Notice>}
      {actionError && <Notice kind="error">{actionError}</Notice>}
      {data && (
        <>
          <dl className="facts card">
            <dt>ID</dt>
            <dd><code>{data.id}</code></dd>
            <dt>Task</dt>
            <dd>{data['OS-EXT-STS:task_state'] ?? '—'}</dd>
            <dt>Host</dt>
            <dd>{data['OS-EXT-SRV-ATTR:host'] ?? '—'}</dd>
            <dt>Zone</dt>
            <dd>{data['OS-EXT-AZ:availability_zone'] || '—'}</dd>
            <dt>Flavor</dt>
            <dd>{data.flavor.original_name} ({data.flavor.vcpus} vCPU, {data.flavor.ram} MB, {data.flavor.disk} GB)</dd>
            <dt>Image</dt>
            <dd>{data.image === '' ? '(volume)' : <code>{data.image.id}</code>}</dd>
            <dt>Volumes</dt>
            <dd>{volumes.length > 0 ? volumes.map((volume) => <code key={volume.id}>{volume.id} </code>) : '—'}</dd>
            <dt>Created</dt>
            <dd>{formatTime(data.created)}</dd>
            <dt>Launch workflow</dt>
            <dd><TemporalLink workflowId={`launch-${data.id}`} /></dd>
          </dl>
          {data.fault && (
            <Notice kind="error">
              Fault: {data.fault.message}
              {data.fault.details ? ` — ${data.fault.details}` : ''}
            </Notice>
          )}
          <InstanceActions server={data} onDone={server.refresh} onError={setActionError} />
        </>
      )}
      <div className="columns">
        <Timeline instanceId={id} />
        <ConsoleLog instanceId={id} onHost={Boolean(data?.['OS-EXT-SRV-ATTR:host'])} />
      </div>
    </section>
  );
}
