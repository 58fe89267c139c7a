// The frame around every page: skip link, header with who is logged in, navigation, main.
import { useEffect, useRef, type ReactElement, type ReactNode } from 'react';
import { useApi } from './api-context';
import { Icon, type IconName } from './Icons';
import { hrefOf, type Route } from './router';

const NAV: Array<{ page: Route['page']; label: string; icon: IconName }> = [
  { page: 'instances', label: 'Instances', icon: 'instances' },
  { page: 'launch', label: 'Launch', icon: 'launch' },
  { page: 'images', label: 'Images', icon: 'images' },
  { page: 'failures', label: 'Failed operations', icon: 'failures' },
  { page: 'hosts', label: 'Hosts', icon: 'hosts' },
];

export function Shell({ route, onLogOut, children }: { route: Route; onLogOut: () => void; children: ReactNode }): ReactElement {
  const { session } = useApi();
  const main = useRef<HTMLElement>(null);
  const current = route.page === 'instance' ? 'instances' : route.page;

  // After navigating, keyboard and screen-reader users start at the new page's content;
  // on the first page the browser's own order applies (the skip link comes first).
  const navigated = useRef(false);
  useEffect(() => {
    if (navigated.current) main.current?.focus();
    navigated.current = true;
  }, [route]);

  return (
    <div className="shell">
      <a className="skip-link" href="#main" onClick={(event) => { event.preventDefault(); main.current?.focus(); }}>
        Skip to content
      </a>
      <header className="topbar">
        <span className="brand">strata</span>
        <span className="who">
          {session.userName} · project {session.projectName}
        </span>
        <button type="button" className="button-quiet" onClick={onLogOut}>
          <Icon name="logout" /> Log out
        </button>
      </header>
      <nav className="sidebar" aria-label="Console">
        <ul>
          {NAV.map((item) => (
            <li key={item.page}>
              <a href={hrefOf({ page: item.page } as Route)} aria-current={item.page === current ? 'page' : undefined}>
                <Icon name={item.icon} /> {item.label}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <main id="main" ref={main} tabIndex={-1}>
        {children}
      </main>
    </div>
  );
}
