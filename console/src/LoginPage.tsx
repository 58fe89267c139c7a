// Log in with a Keystone user and password, scoped to a project.
import type { FormEvent, ReactElement } from 'react';
import { useAsyncAction } from './async-action';
import { textField } from './forms';
import { Notice } from './Notice';
import { logIn, type Session } from './session';

export function LoginPage({ onLoggedIn }: { onLoggedIn: (session: Session) => void }): ReactElement {
  const login = useAsyncAction();

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    void login.run(async () => {
      onLoggedIn(await logIn({ user: textField(form, 'user'), password: textField(form, 'password'), project: textField(form, 'project'), domain: textField(form, 'domain') }));
    });
  };

  return (
    <main className="login" id="main">
      <form className="card" onSubmit={submit} aria-labelledby="login-title">
        <h1 id="login-title">strata console</h1>
        <label>
          User
          <input name="user" autoComplete="username" required autoFocus />
        </label>
        <label>
          Password
          <input name="password" type="password" autoComplete="current-password" required />
        </label>
        <label>
          Project
          <input name="project" defaultValue="admin" required />
        </label>
        <label>
          Domain
          <input name="domain" defaultValue="Default" required />
        </label>
        {login.error && <Notice kind="error">{login.error}</Notice>}
        <button type="submit" disabled={login.busy}>
          {login.busy ? 'Logging in…' : 'Log in'}
        </button>
      </form>
    </main>
  );
}
