// The guest's serial console (os-getConsoleOutput), refreshed while the page is open.
import { useEffect, type ReactElement } from 'react';
import { useApi } from './api-context';
import { Notice } from './Notice';
import { usePolling } from './polling';
import { consoleOutput } from './resources';

const CONSOLE_INTERVAL_MS = 5000;

export function ConsoleLog({ instanceId, onHost }: { instanceId: string; onHost: boolean }): ReactElement {
  const api = useApi();
  const output = usePolling(() => (onHost ? consoleOutput(api, instanceId) : Promise.resolve(null)), CONSOLE_INTERVAL_MS);
  const { refresh } = output;
  // The host becomes known after the first poll: read the console then, not a poll later.
  useEffect(() => {
    if (onHost) refresh();
  }, [onHost, refresh]);

  return (
    <section aria-labelledby="console-title" className="card">
      <div className="page-head">
        <h2 id="console-title">Console log</h2>
        <button type="button" className="button-quiet" onClick={output.refresh}>
          Refresh
        </button>
      </div>
      {!onHost && <Notice kind="info">Not on a host yet: the console appears once the instance is scheduled.</Notice>}
      {output.error && <Notice kind="error">{output.error}</Notice>}
      {typeof output.data === 'string' && (
        <pre className="console-log" tabIndex={0} aria-label="Console output" data-testid="console-log">
          {output.data || '(empty)'}
        </pre>
      )}
    </section>
  );
}
