// Inline SVG icons (no icon font, no CDN): decorative, hidden from screen readers.
import type { ReactElement } from 'react';

const paths = {
  instances: 'M3 4h18v6H3zM3 14h18v6H3zM6 7h.01M6 17h.01',
  images: 'M4 5h16v14H4zM4 15l4-4 4 4 3-3 5 5',
  launch: 'M12 3l7 7-7 7-7-7zM12 17v4',
  failures: 'M12 3l10 18H2zM12 10v4M12 17v.01',
  hosts: 'M4 4h16v16H4zM8 8h8v8H8z',
  logout: 'M15 4h4v16h-4M10 8l-4 4 4 4M6 12h10',
  external: 'M14 4h6v6M20 4l-9 9M18 14v6H4V6h6',
} as const;

export type IconName = keyof typeof paths;

export function Icon({ name }: { name: IconName }): ReactElement {
  return (
    <svg className="icon" viewBox="0 0 24 24" width="18" height="18" aria-hidden="true" focusable="false">
      <path d={paths[name]} fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round" />
    </svg>
  );
}
