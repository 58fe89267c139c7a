// Logging in with Keystone (password, project-scoped) and keeping the token for this tab
// only: sessionStorage ends with the tab, and nothing is written to cookies or localStorage.
import { errorMessageOf } from './errors';

export interface Session {
  token: string;
  userName: string;
  projectId: string;
  projectName: string;
  roles: string[];
  expiresAt: string;
}

const STORAGE_KEY = 'strata.console.session';

export interface Credentials {
  user: string;
  password: string;
  project: string;
  domain: string;
}

interface TokenBody {
  token: {
    user: { name: string };
    project?: { id: string; name: string };
    roles?: Array<{ name: string }>;
    expires_at: string;
  };
}

export async function logIn({ user, password, project, domain }: Credentials): Promise<Session> {
  const response = await fetch('/identity/v3/auth/tokens?nocatalog', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      auth: {
        identity: { methods: ['password'], password: { user: { name: user, password, domain: { name: domain } } } },
        scope: { project: { name: project, domain: { name: domain } } },
      },
    }),
  });
  const text = await response.text();
  const token = response.headers.get('x-subject-token');
  if (response.status !== 201 || !token) throw new Error(errorMessageOf(response.status, text));
  const body = JSON.parse(text) as TokenBody;
  const session: Session = {
    token,
    userName: body.token.user.name,
    projectId: body.token.project?.id ?? '',
    projectName: body.token.project?.name ?? '',
    roles: (body.token.roles ?? []).map((role) => role.name),
    expiresAt: body.token.expires_at,
  };
  sessionStorage.setItem(STORAGE_KEY, JSON.stringify(session));
  return session;
}

/** The session this tab logged in with, unless its token has expired. */
export function restoredSession(): Session | null {
  const saved = sessionStorage.getItem(STORAGE_KEY);
  if (!saved) return null;
  try {
    const session = JSON.parse(saved) as Session;
    return Date.parse(session.expiresAt) > Date.now() ? session : null;
  } catch {
    // Not what this console wrote: log in again.
    return null;
  }
}

/** Forgets the token here and revokes it at Keystone (best effort: the tab forgets it either way). */
export async function logOut(session: Session): Promise<void> {
  sessionStorage.removeItem(STORAGE_KEY);
  await fetch('/identity/v3/auth/tokens', { method: 'DELETE', headers: { 'x-auth-token': session.token, 'x-subject-token': session.token } }).catch(() => undefined);
}

export const isAdmin = (session: Session) => session.roles.includes('admin');
