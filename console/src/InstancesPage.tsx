// Every instance with its status, host, zone, flavor and image, refreshed every 2 s;
// status changes are announced in a live region so nobody has to watch the table.
import { useEffect, useRef, useState, type ReactElement } from 'react';
import { useApi } from './api-context';
import { DataTable } from './DataTable';
import { formatTime } from './format';
import { Notice } from './Notice';
import { usePolling } from './polling';
import { listImages, listServers, type Server } from './resources';
import { hrefOf } from './router';
import { StatusBadge } from './StatusBadge';

/** "vm1 is now ACTIVE" for each instance whose status changed since the last poll. */
function changesBetween(previous: Map<string, string>, servers: Server[]): string[] {
  return servers.filter((server) => previous.has(server.id) && previous.get(server.id) !== server.status).map((server) => `${server.name} is now ${server.status}`);
}

export function InstancesPage(): ReactElement {
  const api = useApi();
  const servers = usePolling(() => listServers(api));
  const images = usePolling(() => listImages(api), 10_000);
  const known = useRef(new Map<string, string>());
  const [announcement, setAnnouncement] = useState('');

  useEffect(() => {
    if (!servers.data) return;
    const changes = changesBetween(known.current, servers.data);
    if (changes.length > 0) setAnnouncement(changes.join('. '));
    known.current = new Map(servers.data.map((server) => [server.id, server.status]));
  }, [servers.data]);

  const imageName = (server: Server) => {
    if (server.image === '') return '(volume)';
    return images.data?.find((image) => image.id === (server.image as { id: string }).id)?.name ?? server.image.id;
  };

  return (
    <section aria-labelledby="instances-title">
      <div className="page-head">
        <h1 id="instances-title">Instances</h1>
        <a className="button" href={hrefOf({ page: 'launch' })}>
          Launch instance
        </a>
      </div>
      <p className="live" aria-live="polite" data-testid="instances-live">
        {announcement}
      </p>
      {servers.error && <Notice kind="error">{servers.error}</Notice>}
      {servers.data?.length === 0 && <Notice kind="info">No instances yet.</Notice>}
      {servers.data && servers.data.length > 0 && (
        <DataTable caption="Instances, refreshed every two seconds" columns={['Name', 'Status', 'Task', 'Host', 'Zone', 'Flavor', 'Image', 'Created']}>
          {servers.data.map((server) => (
            <tr key={server.id} data-instance-id={server.id}>
              <th scope="row">
                <a href={hrefOf({ page: 'instance', id: server.id })}>{server.name}</a>
              </th>
              <td>
                <StatusBadge status={server.status} />
              </td>
              <td>{server['OS-EXT-STS:task_state'] ?? '—'}</td>
              <td>{server['OS-EXT-SRV-ATTR:host'] ?? '—'}</td>
              <td>{server['OS-EXT-AZ:availability_zone'] || '—'}</td>
              <td>{server.flavor.original_name}</td>
              <td>{imageName(server)}</td>
              <td>{formatTime(server.created)}</td>
            </tr>
          ))}
        </DataTable>
      )}
    </section>
  );
}
