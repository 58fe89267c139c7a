// Retry (a failed launch) and Delete, for an instance and for a row of failed operations.
import { useState, type ReactElement } from 'react';
import { useApi } from './api-context';
import { messageOf } from './errors';
import { deleteServer, retryInstance } from './resources';

interface Props {
  server: { id: string; name?: string; status?: string };
  /** Only failed launches can be retried; the failures page says so itself. */
  canRetry?: boolean;
  onDone: () => void;
  onError: (message: string | undefined) => void;
}

export function InstanceActions({ server, canRetry = server.status === 'ERROR', onDone, onError }: Props): ReactElement {
  const api = useApi();
  const [busy, setBusy] = useState<'retry' | 'delete' | null>(null);
  const label = server.name ?? server.id;

  const run = async (action: 'retry' | 'delete') => {
    if (action === 'delete' && !window.confirm(`Delete instance ${label}?`)) return;
    setBusy(action);
    onError(undefined);
    try {
      await (action === 'retry' ? retryInstance(api, server.id) : deleteServer(api, server.id));
      onDone();
    } catch (failure) {
      onError(`${action === 'retry' ? 'Retry' : 'Delete'} of ${label} failed: ${messageOf(failure)}`);
    } finally {
      setBusy(null);
    }
  };

  return (
    <div className="actions">
      {canRetry && (
        <button type="button" onClick={() => void run('retry')} disabled={busy !== null} aria-label={`Retry ${label}`}>
          {busy === 'retry' ? 'Retrying…' : 'Retry'}
        </button>
      )}
      <button type="button" className="button-danger" onClick={() => void run('delete')} disabled={busy !== null} aria-label={`Delete ${label}`}>
        {busy === 'delete' ? 'Deleting…' : 'Delete'}
      </button>
    </div>
  );
}
