// A host's cached base images (GET /ops/v1/hosts/{host}/cache, listed by the host's own
// worker through Temporal): loaded on request, since each listing runs a workflow.
import { useState, type ReactElement } from 'react';
import { useApi } from './api-context';
import { useAsyncAction } from './async-action';
import { formatBytes, formatTime } from './format';
import { Notice } from './Notice';

interface CachedBase {
  name: string;
  imageId: string | null;
  sizeBytes: number;
  lastUsedAt: string;
  inUseBy: string[];
}

/** `imageNames` turns the cached images' ids into the names operators know them by. */
export function HostCache({ host, imageNames }: { host: string; imageNames: ReadonlyMap<string, string> }): ReactElement {
  const api = useApi();
  const [bases, setBases] = useState<CachedBase[]>();
  const listing = useAsyncAction();

  const load = () =>
    listing.run(async () => {
      setBases((await api.request<{ bases: CachedBase[] }>('GET', `/ops/v1/hosts/${encodeURIComponent(host)}/cache`)).bases);
    });

  return (
    <div className="host-cache">
      <button type="button" className="button-quiet" onClick={() => void load()} disabled={listing.busy}>
        {listing.busy ? 'Listing…' : bases ? 'Refresh cached images' : 'Show cached images'}
      </button>
      {listing.error && <Notice kind="error">{listing.error}</Notice>}
      {bases?.length === 0 && <Notice kind="info">No cached images.</Notice>}
      {bases && bases.length > 0 && (
        <ul className="properties" aria-label={`Images cached on ${host}`}>
          {bases.map((base) => (
            <li key={base.name}>
              {(base.imageId && imageNames.get(base.imageId)) ?? <code>{base.imageId ?? base.name}</code>} {formatBytes(base.sizeBytes)}, last used {formatTime(base.lastUsedAt)}
              {base.inUseBy.length > 0 ? `, used by ${base.inUseBy.length} instance(s)` : ', unused'}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
