// What the bad-input cases aim at: alice's private image, instance, volume and server
// group (bob and a reader try to reach them), an image with an admin-only property, and
// tokens that must not work (expired, revoked, of a disabled user, forged). Made through
// the real routes, over the compute harness (its own Temporal namespace, no workers: a
// server stays BUILD, a volume stays creating, and nothing appends behind the cases' backs).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TokenService } from '../../../application/identity/tokens.js';
import { openComputeHarness, type ComputeHarness } from '../../compute-api/compute-harness.js';
import { createImage, patchImage } from '../../images/support/image-harness.js';
import type { Sender } from './catalogue.js';

export interface Fixtures {
  adminProject: string;
  aliceProject: string;
  bobProject: string;
  aliceUser: string;
  memberRole: string;
  adminRole: string;
  /** alice's private, active image. */
  privateImage: string;
  /** An active public image of the admin's. */
  publicImage: string;
  /** alice's image carrying the admin-only property `x_admin_note`. */
  guardedImage: string;
  /** alice's image with no data (queued). */
  queuedImage: string;
  aliceServer: string;
  aliceVolume: string;
  aliceGroup: string;
  tokens: Record<Exclude<Sender, 'none'>, string>;
}

/**
 * Property protections for the bypass cases: `x_admin_*` is the admin's, other lower-case
 * names are everyone's, and any name no section matches (upper case, look-alike letters,
 * control characters) is refused — Glance's "no match denies".
 */
const PROTECTIONS = `[^x_admin_]
create = admin
read = admin,member,reader
update = admin
delete = admin

[^[a-z0-9_:.]+$]
create = admin,member
read = admin,member,reader
update = admin,member
delete = admin,member
`;


async function expect2xx(what: string, response: { statusCode: number; body: string }): Promise<void> {
  if (response.statusCode >= 300) throw new Error(`${what}: ${response.statusCode} ${response.body}`);
}

export interface BadInputWorld {
  harness: ComputeHarness;
  fixtures: Fixtures;
  /** Closes the harness and removes the protections file. */
  close: () => Promise<void>;
}

export async function openBadInputFixtures(): Promise<BadInputWorld> {
  const dir = mkdtempSync(join(tmpdir(), 'strata-reliability-'));
  const protections = join(dir, 'property-protections.conf');
  writeFileSync(protections, PROTECTIONS);
  const harness = await openComputeHarness({ policy: { propertyProtectionFile: protections } });
  const { admin, alice, bob, api } = harness;
  const identity = (method: 'POST' | 'PATCH' | 'PUT' | 'DELETE', url: string, json?: object, headers: Record<string, string> = {}) =>
    api.app.inject({ method, url: `/identity/v3${url}`, headers: { 'x-auth-token': admin.token, ...headers }, payload: json });
  const { queries } = api.services.identity;
  const role = (name: string) => queries.role({ name })!.id;
  const aliceUser = queries.user({ name: 'alice' })?.id ?? '';

  // A user per token kind that must stop working: reader (valid, read-only), revoked, disabled.
  async function userWithRole(name: string, roleName: string): Promise<{ id: string; token: string }> {
    const created = await identity('POST', '/users', { user: { name, password: `${name}-pw`, default_project_id: alice.projectId } });
    await expect2xx(`create ${name}`, created);
    const id = created.json<{ user: { id: string } }>().user.id;
    await expect2xx(`grant ${name}`, await identity('PUT', `/projects/${alice.projectId}/users/${id}/roles/${role(roleName)}`));
    return { id, token: await api.login(name, `${name}-pw`, 'project-a') };
  }
  const reader = await userWithRole('rita', 'reader');
  const revoked = await userWithRole('rick', 'member');
  await expect2xx('revoke token', await identity('DELETE', '/auth/tokens', undefined, { 'x-subject-token': revoked.token }));
  const disabled = await userWithRole('dora', 'member');
  await expect2xx('disable user', await identity('PATCH', `/users/${disabled.id}`, { user: { enabled: false } }));
  // A token issued two TTLs ago by the same service expired a TTL ago.
  const ttl = api.config.identity.tokenTtlSeconds;
  const past = new TokenService({ events: api.context.events, queries, projections: api.context.projections, tokenTtlSeconds: ttl, now: () => new Date(Date.now() - 2 * ttl * 1000) });
  const expired = (await past.issue({ user: { name: 'alice', domain: { id: 'default' } }, password: 'alice-password', scope: { name: 'project-a', domain: { id: 'default' } } }, 'req-fixture')).token;

  const privateImage = await harness.activeImage(alice, { name: 'alice-private', visibility: 'private' });
  const publicImage = await harness.activeImage(admin, { name: 'public', visibility: 'public' });
  const guardedImage = (await createImage(alice, { name: 'guarded' })).id;
  await expect2xx('admin-only property', await patchImage(admin, guardedImage, [{ op: 'add', path: '/x_admin_note', value: 'kept' }]));
  const queuedImage = (await createImage(alice, { name: 'queued' })).id;

  const server = await harness.compute(alice, 'POST', '/servers', { json: { server: { name: 'alice-vm', imageRef: privateImage, flavorRef: '1' } } });
  await expect2xx('create server', server);
  const volume = await api.app.inject({ method: 'POST', url: `/volume/v3/${alice.projectId}/volumes`, headers: { 'x-auth-token': alice.token }, payload: { volume: { size: 1, name: 'alice-vol' } } });
  await expect2xx('create volume', volume);
  const group = await harness.compute(alice, 'POST', '/os-server-groups', { json: { server_group: { name: 'alice-group', policies: ['anti-affinity'] } } });
  await expect2xx('create server group', group);

  return {
    harness,
    close: async () => {
      await harness.close();
      rmSync(dir, { recursive: true, force: true });
    },
    fixtures: {
      adminProject: admin.projectId,
      aliceProject: alice.projectId,
      bobProject: bob.projectId,
      aliceUser,
      memberRole: role('member'),
      adminRole: role('admin'),
      privateImage,
      publicImage,
      guardedImage,
      queuedImage,
      aliceServer: server.json<{ server: { id: string } }>().server.id,
      aliceVolume: volume.json<{ volume: { id: string } }>().volume.id,
      aliceGroup: group.json<{ server_group: { id: string } }>().server_group.id,
      tokens: {
        admin: admin.token,
        alice: alice.token,
        bob: bob.token,
        reader: reader.token,
        revoked: revoked.token,
        disabled: disabled.token,
        expired,
        forged: 'gAAAAABforged-token-that-was-never-issued-0000000000000000',
      },
    },
  };
}
