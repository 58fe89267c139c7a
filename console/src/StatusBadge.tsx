// A status word with a colour that is never the only signal (the word is always shown).
import type { ReactElement } from 'react';

const TONES: Record<string, string> = {
  ACTIVE: 'ok', active: 'ok', up: 'ok', enabled: 'ok',
  BUILD: 'busy', saving: 'busy', queued: 'busy', importing: 'busy', uploading: 'busy',
  ERROR: 'bad', killed: 'bad', down: 'bad', failed: 'bad',
};

export function StatusBadge({ status }: { status: string }): ReactElement {
  return <span className={`badge badge-${TONES[status] ?? 'plain'}`}>{status}</span>;
}
