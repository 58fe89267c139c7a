// An error or an information line; errors are announced to screen readers at once.
import type { ReactElement, ReactNode } from 'react';

export function Notice({ kind, children }: { kind: 'error' | 'info'; children: ReactNode }): ReactElement {
  return (
    <p className={`notice notice-${kind}`} role={kind === 'error' ? 'alert' : 'status'}>
      {children}
    </p>
  );
}
