// strata's default rules, as a persona matrix: for each action and target, exactly which
// callers are allowed. Personas carry Keystone-expanded roles (admin ⇒ member ⇒ reader).
import { describe, expect, it } from 'vitest';
import type { Credentials } from '../../domain/policy/credentials.js';
import { DEFAULT_POLICY_RULES } from '../../domain/policy/defaults/index.js';
import { Enforcer } from '../../domain/policy/enforcer.js';
import { buildRuleSet } from '../../domain/policy/rule-set.js';
import { expandImpliedRoles } from '../../domain/policy/roles.js';

const persona = (project: string, ...roles: string[]): Credentials => ({
  user_id: `user-of-${project}`,
  project_id: project,
  roles: expandImpliedRoles(roles),
});

// The target's project (the image owner, the instance's or volume's project) is p1.
const PERSONAS = {
  admin: persona('p9', 'admin'),
  ownerMember: persona('p1', 'member'),
  ownerReader: persona('p1', 'reader'),
  otherMember: persona('p2', 'member'),
  otherReader: persona('p2', 'reader'),
  ownerNoRole: persona('p1'),
};
type Persona = keyof typeof PERSONAS;

const EVERYONE: Persona[] = ['admin', 'ownerMember', 'ownerReader', 'otherMember', 'otherReader', 'ownerNoRole'];
const ADMIN_ONLY: Persona[] = ['admin'];
const ADMIN_OR_OWNER_MEMBER: Persona[] = ['admin', 'ownerMember'];
const ADMIN_OR_OWNER_READER: Persona[] = ['admin', 'ownerMember', 'ownerReader'];
const ANY_READER: Persona[] = ['admin', 'ownerMember', 'ownerReader', 'otherMember', 'otherReader'];

const image = (visibility: string, extra: Record<string, string> = {}): Record<string, string> => ({
  project_id: 'p1', owner: 'p1', visibility, ...extra,
});
const PROJECT = { project_id: 'p1', user_id: 'user-of-p1' };

const MATRIX: readonly (readonly [action: string, target: Record<string, string>, allowed: Persona[]])[] = [
  ['add_image', image('shared'), ADMIN_OR_OWNER_MEMBER],
  ['add_image', { project_id: 'p1', owner: 'p2' }, ADMIN_ONLY],
  ['get_image', image('private'), ADMIN_OR_OWNER_READER],
  ['get_image', image('public'), ANY_READER],
  ['get_image', image('community'), ANY_READER],
  ['get_image', image('shared'), ANY_READER],
  ['get_image', image('private', { member_id: 'p2' }), ANY_READER],
  ['get_images', { project_id: 'p1' }, ADMIN_OR_OWNER_READER],
  ['download_image', image('private'), ADMIN_OR_OWNER_MEMBER],
  ['download_image', image('public'), ['admin', 'ownerMember', 'otherMember']],
  ['modify_image', image('public'), ADMIN_OR_OWNER_MEMBER],
  ['delete_image', image('public'), ADMIN_OR_OWNER_MEMBER],
  ['upload_image', image('private'), ADMIN_OR_OWNER_MEMBER],
  ['deactivate', image('public'), ADMIN_OR_OWNER_MEMBER],
  ['reactivate', image('public'), ADMIN_OR_OWNER_MEMBER],
  ['publicize_image', image('private'), ADMIN_ONLY],
  ['communitize_image', image('private'), ADMIN_OR_OWNER_MEMBER],
  ['add_member', image('shared'), ADMIN_OR_OWNER_MEMBER],
  ['delete_member', image('shared'), ADMIN_OR_OWNER_MEMBER],
  ['get_member', image('shared', { member_id: 'p2' }), ANY_READER],
  ['get_members', image('shared', { member_id: 'p3' }), ADMIN_OR_OWNER_READER],
  ['modify_member', image('shared', { member_id: 'p2' }), ['admin', 'otherMember']],
  ['manage_image_cache', {}, ADMIN_ONLY],
  ['os_compute_api:servers:create', PROJECT, ADMIN_OR_OWNER_MEMBER],
  ['os_compute_api:servers:create:forced_host', PROJECT, ADMIN_ONLY],
  ['os_compute_api:servers:create:attach_volume', PROJECT, ADMIN_OR_OWNER_MEMBER],
  ['os_compute_api:servers:show', PROJECT, ADMIN_OR_OWNER_READER],
  ['os_compute_api:servers:show:host_status', PROJECT, ADMIN_ONLY],
  ['os_compute_api:servers:index', PROJECT, ADMIN_OR_OWNER_READER],
  ['os_compute_api:servers:index:get_all_tenants', PROJECT, ADMIN_ONLY],
  ['os_compute_api:servers:detail', PROJECT, ADMIN_OR_OWNER_READER],
  ['os_compute_api:servers:detail:get_all_tenants', PROJECT, ADMIN_ONLY],
  ['os_compute_api:servers:delete', PROJECT, ADMIN_OR_OWNER_MEMBER],
  ['os_compute_api:servers:create_image', PROJECT, ADMIN_OR_OWNER_MEMBER],
  ['os_compute_api:os-extended-server-attributes', PROJECT, ADMIN_ONLY],
  ['os_compute_api:os-flavor-manage:create', {}, ADMIN_ONLY],
  ['os_compute_api:os-flavor-manage:delete', {}, ADMIN_ONLY],
  ['os_compute_api:os-hypervisors:list', {}, ADMIN_ONLY],
  ['os_compute_api:os-availability-zone:list', {}, EVERYONE],
  ['os_compute_api:os-availability-zone:detail', {}, ADMIN_ONLY],
  ['os_compute_api:os-instance-actions:list', PROJECT, ADMIN_OR_OWNER_READER],
  ['os_compute_api:os-instance-actions:show', PROJECT, ADMIN_OR_OWNER_READER],
  ['os_compute_api:os-instance-actions:events', PROJECT, ADMIN_ONLY],
  ['os_compute_api:os-console-output', PROJECT, ADMIN_OR_OWNER_MEMBER],
  ['os_compute_api:os-volumes-attachments:index', PROJECT, ADMIN_OR_OWNER_READER],
  ['os_compute_api:os-volumes-attachments:create', PROJECT, ADMIN_OR_OWNER_MEMBER],
  ['os_compute_api:os-volumes-attachments:delete', PROJECT, ADMIN_OR_OWNER_MEMBER],
  // Nova checks creation against the caller's own project, so admins need a project role.
  ['os_compute_api:os-server-groups:create', PROJECT, ['ownerMember']],
  ['os_compute_api:os-server-groups:index', PROJECT, ADMIN_OR_OWNER_READER],
  ['os_compute_api:os-server-groups:index:all_projects', PROJECT, ADMIN_ONLY],
  ['os_compute_api:os-server-groups:show', PROJECT, ADMIN_OR_OWNER_READER],
  ['os_compute_api:os-server-groups:delete', PROJECT, ADMIN_OR_OWNER_MEMBER],
  ['volume:create', PROJECT, ADMIN_OR_OWNER_MEMBER],
  ['volume:get', PROJECT, ADMIN_OR_OWNER_READER],
  ['volume:get_all', PROJECT, ADMIN_OR_OWNER_READER],
  ['volume:delete', PROJECT, ADMIN_OR_OWNER_MEMBER],
  ['identity:create_project', {}, ADMIN_ONLY],
  ['identity:list_projects', {}, ADMIN_ONLY],
  ['identity:create_user', {}, ADMIN_ONLY],
  ['identity:create_grant', {}, ADMIN_ONLY],
  ['identity:list_role_assignments', {}, ADMIN_ONLY],
  ['strata:ops:retry', {}, ADMIN_ONLY],
  ['strata:ops:failures', {}, ADMIN_ONLY],
  ['strata:ops:audit', {}, ADMIN_ONLY],
  ['strata:ops:projections', {}, ADMIN_ONLY],
  ['some:action:strata:does:not:define', {}, []],
];

describe('default policy', () => {
  const built = buildRuleSet(DEFAULT_POLICY_RULES);
  const enforcer = new Enforcer(built.rules);

  it('parses every default rule cleanly', () => {
    expect(built.warnings).toEqual([]);
  });

  it.each(MATRIX)('%s on %j is allowed for %j', (action, target, allowed) => {
    const actual = (Object.keys(PERSONAS) as Persona[]).filter((name) => enforcer.enforce(action, target, PERSONAS[name]));
    expect(actual).toEqual(allowed);
  });

  it('defines every action the matrix exercises', () => {
    const defined = MATRIX.map(([action]) => action).filter((action) => !action.startsWith('some:'));
    expect(defined.filter((action) => !enforcer.hasRule(action))).toEqual([]);
  });

  it('makes is_admin-style admin checks available', () => {
    expect(enforcer.isAdmin(PERSONAS.admin)).toBe(true);
    expect(enforcer.isAdmin(PERSONAS.ownerMember)).toBe(false);
  });
});
