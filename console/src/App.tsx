// The console: the login page until a session exists, then the shell with the current page.
import { useCallback, useEffect, useMemo, useState, type ReactElement } from 'react';
import { createApi } from './api';
import { ApiContext } from './api-context';
import { ErrorBoundary } from './ErrorBoundary';
import { FailuresPage } from './FailuresPage';
import { HostsPage } from './HostsPage';
import { ImagesPage } from './ImagesPage';
import { InstanceDetailPage } from './InstanceDetailPage';
import { InstancesPage } from './InstancesPage';
import { LaunchPage } from './LaunchPage';
import { LoginPage } from './LoginPage';
import { hrefOf, useRoute, type Route } from './router';
import { logOut, restoredSession, type Session } from './session';
import { DEFAULT_SETTINGS, loadSettings, SettingsContext } from './settings';
import { Shell } from './Shell';

function pageOf(route: Route): ReactElement {
  switch (route.page) {
    case 'instances':
      return <InstancesPage />;
    case 'instance':
      return <InstanceDetailPage id={route.id} />;
    case 'launch':
      return <LaunchPage />;
    case 'images':
      return <ImagesPage />;
    case 'failures':
      return <FailuresPage />;
    case 'hosts':
      return <HostsPage />;
  }
}

export function App(): ReactElement {
  const [session, setSession] = useState<Session | null>(restoredSession);
  const [settings, setSettings] = useState(DEFAULT_SETTINGS);
  const route = useRoute();
  const end = useCallback(() => {
    if (session) void logOut(session);
    setSession(null);
  }, [session]);
  const api = useMemo(() => (session ? createApi(session, end) : null), [session, end]);

  useEffect(() => {
    void loadSettings().then(setSettings);
  }, []);

  if (!api) return <LoginPage onLoggedIn={setSession} />;
  return (
    <SettingsContext value={settings}>
      <ApiContext value={api}>
        <Shell route={route} onLogOut={end}>
          <ErrorBoundary resetKey={hrefOf(route)}>{pageOf(route)}</ErrorBoundary>
        </Shell>
      </ApiContext>
    </SettingsContext>
  );
}
