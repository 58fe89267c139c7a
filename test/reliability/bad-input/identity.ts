// Keystone v3: forged, expired and revoked tokens, logins that must fail alike, an ordinary
// member reaching for the directory or for the admin role, and malformed directory writes.
import { HOSTILE_STRINGS, hugeJson, overlongUtf8Json, raw, type BadInputCase } from './catalogue.js';
import type { Fixtures } from './fixtures.js';

const UNKNOWN_ID = '0123456789abcdef0123456789abcdef';

function login(user: Record<string, unknown>, password: unknown = 'alice-password', scope: unknown = { project: { name: 'project-a', domain: { id: 'default' } } }) {
  return { auth: { identity: { methods: ['password'], password: { user: { domain: { id: 'default' }, ...user, password } } }, scope } };
}

const tokens = (json: unknown) => () => ({ method: 'POST' as const, url: '/identity/v3/auth/tokens', json });
const grantPath = (f: Fixtures) => `/identity/v3/projects/${f.aliceProject}/users/${f.aliceUser}/roles`;
const subject = (pick: (f: Fixtures) => string, method: 'GET' | 'DELETE' = 'GET') => (f: Fixtures) => ({ method, url: '/identity/v3/auth/tokens', headers: { 'x-subject-token': pick(f) } });
const get = (url: string) => () => ({ method: 'GET' as const, url });
const post = (url: string, json: unknown) => () => ({ method: 'POST' as const, url, json });

export const identityCases: BadInputCase[] = [
  // Tokens that must not authenticate, on every service.
  { label: 'a forged token', as: 'forged', request: get('/identity/v3/projects'), status: 401 },
  { label: 'an expired token', as: 'expired', request: get('/identity/v3/auth/projects'), status: 401 },
  { label: 'a revoked token', as: 'revoked', request: get('/identity/v3/auth/projects'), status: 401 },
  { label: "a disabled user's token", as: 'disabled', request: get('/identity/v3/auth/projects'), status: 401 },
  { label: 'no token', as: 'none', request: get('/identity/v3/users'), status: 401 },
  { label: 'an empty token', as: 'none', request: () => ({ method: 'GET', url: '/identity/v3/roles', headers: { 'x-auth-token': '' } }), status: 401 },
  { label: 'a 64 KiB token', as: 'none', request: () => ({ method: 'GET', url: '/identity/v3/roles', headers: { 'x-auth-token': 'A'.repeat(65536) } }), status: 401 },
  { label: "a token with the admin's id but altered", as: 'none', request: (f) => ({ method: 'GET', url: '/identity/v3/roles', headers: { 'x-auth-token': `${f.tokens.admin.slice(0, -1)}${f.tokens.admin.endsWith('A') ? 'B' : 'A'}` } }), status: 401 },
  { label: 'validating a forged subject token', as: 'admin', request: subject((f) => f.tokens.forged), status: 404 },
  { label: 'validating an expired subject token', as: 'admin', request: subject((f) => f.tokens.expired), status: 404 },
  { label: 'validating a revoked subject token', as: 'admin', request: subject((f) => f.tokens.revoked), status: 404 },
  { label: 'revoking a forged subject token', as: 'admin', request: subject((f) => f.tokens.forged, 'DELETE'), status: 404 },
  { label: 'revoking a token already revoked', as: 'admin', request: subject((f) => f.tokens.revoked, 'DELETE'), status: 404 },
  { label: 'validating without a subject token', as: 'admin', request: get('/identity/v3/auth/tokens'), status: 400 },

  // Logins that fail, all alike.
  { label: 'a wrong password', as: 'none', request: tokens(login({ name: 'alice' }, 'not-her-password')), status: 401 },
  { label: 'an unknown user', as: 'none', request: tokens(login({ name: 'mallory' })), status: 401 },
  { label: 'a disabled user', as: 'none', request: tokens(login({ name: 'dora' }, 'dora-pw')), status: 401 },
  { label: 'a scope to a project the user has no role on', as: 'none', request: tokens(login({ name: 'alice' }, 'alice-password', { project: { name: 'project-b', domain: { id: 'default' } } })), status: 401 },
  { label: 'a scope to the admin project', as: 'none', request: tokens(login({ name: 'alice' }, 'alice-password', { project: { name: 'admin', domain: { id: 'default' } } })), status: 401 },
  { label: 'a user in another domain', as: 'none', request: tokens(login({ name: 'alice', domain: { name: 'evil' } })), status: 401 },
  { label: 'a user name with NUL', as: 'none', request: tokens(login({ name: `alice${HOSTILE_STRINGS.nul}` })), status: 401 },
  { label: 'a password that is a number', as: 'none', request: tokens(login({ name: 'alice' }, 12345)), status: 400 },
  { label: 'a 5000-character password', as: 'none', request: tokens(login({ name: 'alice' }, 'p'.repeat(5000))), status: 400 },
  { label: 'methods that is a string', as: 'none', request: tokens({ auth: { identity: { methods: 'password', password: login({ name: 'alice' }).auth.identity.password } } }), status: 400 },
  { label: 'no auth object', as: 'none', request: tokens({ identity: {} }), status: 400 },
  { label: 'a user with neither name nor id', as: 'none', request: tokens(login({ domain: { id: 'default' } })), status: 400 },
  { label: 'malformed JSON login', as: 'none', request: () => raw('POST', '/identity/v3/auth/tokens', '{"auth": {"identity": '), status: 400 },
  { label: 'a login as text/plain', as: 'none', request: () => raw('POST', '/identity/v3/auth/tokens', JSON.stringify(login({ name: 'alice' })), 'text/plain'), status: 415 },
  { label: 'a login over the body limit', as: 'none', request: () => raw('POST', '/identity/v3/auth/tokens', hugeJson((filler) => login({ name: filler }))), status: 413 },
  { label: 'a login with overlong UTF-8 in the name', as: 'none', request: () => raw('POST', '/identity/v3/auth/tokens', overlongUtf8Json('{"auth":{"identity":{"methods":["password"],"password":{"user":{"name":"alice', '","domain":{"id":"default"},"password":"alice-password"}}}}}')), status: 400 },

  // A member reaching for the directory.
  { label: 'a member creating a project', as: 'alice', request: post('/identity/v3/projects', { project: { name: 'alices-own' } }), status: 403 },
  { label: 'a member listing users', as: 'alice', request: get('/identity/v3/users'), status: 403 },
  { label: 'a member creating a role', as: 'alice', request: post('/identity/v3/roles', { role: { name: 'superuser' } }), status: 403 },
  { label: 'a member granting herself admin', as: 'alice', request: (f) => ({ method: 'PUT', url: `${grantPath(f)}/${f.adminRole}` }), status: 403 },
  { label: 'a member re-enabling a disabled user', as: 'alice', request: (f) => ({ method: 'PATCH', url: `/identity/v3/users/${f.aliceUser}`, json: { user: { enabled: true } } }), status: 403 },
  { label: 'a reader deleting a project', as: 'reader', request: (f) => ({ method: 'DELETE', url: `/identity/v3/projects/${f.aliceProject}` }), status: 403 },
  { label: "a member reading another project's role assignments", as: 'alice', request: (f) => ({ method: 'GET', url: `/identity/v3/role_assignments?scope.project.id=${f.bobProject}` }), status: 403 },

  // Malformed directory writes, by the admin.
  { label: 'a project with an empty name', as: 'admin', request: post('/identity/v3/projects', { project: { name: '' } }), status: 400 },
  { label: 'a project name that is a number', as: 'admin', request: post('/identity/v3/projects', { project: { name: 42 } }), status: 400 },
  { label: "a project enabled 'yes'", as: 'admin', request: post('/identity/v3/projects', { project: { name: 'p-yes', enabled: 'yes' } }), status: 400 },
  { label: 'a project with unknown options', as: 'admin', request: post('/identity/v3/projects', { project: { name: 'p-opt', options: { immutable: true } } }), status: 400 },
  { label: 'a duplicate project name', as: 'admin', request: post('/identity/v3/projects', { project: { name: 'project-a' } }), status: 409 },
  { label: 'a duplicate user name', as: 'admin', request: post('/identity/v3/users', { user: { name: 'alice', password: 'x' } }), status: 409 },
  { label: 'a user password that is an object', as: 'admin', request: post('/identity/v3/users', { user: { name: 'u-obj', password: { value: 'x' } } }), status: 400 },
  { label: 'a role name of 256 characters', as: 'admin', request: post('/identity/v3/roles', { role: { name: 'r'.repeat(256) } }), status: 400 },
  { label: 'a project body over the body limit', as: 'admin', request: () => raw('POST', '/identity/v3/projects', hugeJson((filler) => ({ project: { name: 'big', description: filler } }))), status: 413 },
  { label: 'a project body that is a JSON array', as: 'admin', request: post('/identity/v3/projects', [{ project: { name: 'arr' } }]), status: 400 },
  { label: 'a path-traversal project id', as: 'admin', request: get(`/identity/v3/projects/${encodeURIComponent(HOSTILE_STRINGS.traversal)}`), status: 404 },
  { label: 'an unknown user id', as: 'admin', request: get(`/identity/v3/users/${UNKNOWN_ID}`), status: 404 },
  { label: 'a role id of 300 characters', as: 'admin', request: get(`/identity/v3/roles/${'r'.repeat(300)}`), status: 400 },
  { label: 'updating an unknown project', as: 'admin', request: () => ({ method: 'PATCH', url: `/identity/v3/projects/${UNKNOWN_ID}`, json: { project: { description: 'x' } } }), status: 404 },
  { label: 'deleting an unknown user', as: 'admin', request: () => ({ method: 'DELETE', url: `/identity/v3/users/${UNKNOWN_ID}` }), status: 404 },
  { label: 'granting an unknown role', as: 'admin', request: (f) => ({ method: 'PUT', url: `${grantPath(f)}/${UNKNOWN_ID}` }), status: 404 },
  { label: 'an unknown domain', as: 'admin', request: get('/identity/v3/domains/evil'), status: 404 },
];
