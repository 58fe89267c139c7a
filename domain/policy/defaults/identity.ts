// Keystone administration strata serves: admin only. (Keystone also opens some reads to
// domain and project users; strata has no domain administrators, so it does not.)
import { ADMIN } from './base.js';

const IDENTITY_ADMIN_ACTIONS = [
  'create_project', 'update_project', 'delete_project', 'get_project', 'list_projects',
  'create_user', 'update_user', 'delete_user', 'get_user', 'list_users',
  'create_role', 'delete_role', 'get_role', 'list_roles',
  'create_grant', 'revoke_grant', 'check_grant', 'list_grants', 'list_role_assignments',
];

// A token's own user may validate, check and revoke it (Keystone's `token_subject`).
const TOKEN_SUBJECT = 'user_id:%(target.token.user_id)s';

export const IDENTITY_RULES: Readonly<Record<string, string>> = {
  ...Object.fromEntries(IDENTITY_ADMIN_ACTIONS.map((action) => [`identity:${action}`, ADMIN])),
  'identity:validate_token': `${ADMIN} or ${TOKEN_SUBJECT}`,
  'identity:check_token': `${ADMIN} or ${TOKEN_SUBJECT}`,
  'identity:revoke_token': `${ADMIN} or ${TOKEN_SUBJECT}`,
  'identity:get_domain': `${ADMIN} or token.domain.id:%(target.domain.id)s`,
  'identity:list_domains': ADMIN,
  'identity:list_user_projects': `${ADMIN} or user_id:%(target.user.id)s`,
  // Any authenticated user may list the projects their own token can scope to.
  'identity:get_auth_projects': '',
};
