// Compute hosts (os-hypervisors/detail): up or down, and each resource's used and free
// share as a meter.
import { useMemo, type ReactElement } from 'react';
import { useApi } from './api-context';
import { Notice } from './Notice';
import { usePolling } from './polling';
import { listHypervisors, listImages } from './resources';
import { StatusBadge } from './StatusBadge';
import { HostCache } from './HostCache';

function Capacity({ label, used, total, unit }: { label: string; used: number; total: number; unit: string }): ReactElement {
  return (
    <div className="capacity">
      <span>
        {label}: {used} of {total} {unit} used, {total - used} free
      </span>
      <meter min={0} max={total} value={used} aria-label={`${label} used`} />
    </div>
  );
}

export function HostsPage(): ReactElement {
  const api = useApi();
  const hosts = usePolling(() => listHypervisors(api), 5000);
  const images = usePolling(() => listImages(api), null);
  const imageNames = useMemo(() => new Map((images.data ?? []).map((image) => [image.id, image.name ?? image.id])), [images.data]);

  return (
    <section aria-labelledby="hosts-title">
      <h1 id="hosts-title">Hosts</h1>
      {hosts.error && <Notice kind="error">{hosts.error}</Notice>}
      {hosts.data?.length === 0 && <Notice kind="info">No compute host has registered.</Notice>}
      <div className="host-grid">
        {hosts.data?.map((host) => (
          <article className="card" key={host.hypervisor_hostname} aria-labelledby={`host-${host.hypervisor_hostname}`}>
            <div className="page-head">
              <h2 id={`host-${host.hypervisor_hostname}`}>{host.hypervisor_hostname}</h2>
              <StatusBadge status={host.state} />
              <StatusBadge status={host.status} />
            </div>
            <p>{host.running_vms} instance(s)</p>
            <Capacity label="vCPUs" used={host.vcpus_used} total={host.vcpus} unit="" />
            <Capacity label="RAM" used={host.memory_mb_used} total={host.memory_mb} unit="MB" />
            <Capacity label="Disk" used={host.local_gb_used} total={host.local_gb} unit="GB" />
            <HostCache host={host.hypervisor_hostname} imageNames={imageNames} />
          </article>
        ))}
      </div>
    </section>
  );
}
