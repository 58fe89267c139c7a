// Check strings and base rules shared by the services' defaults (the "modern defaults":
// reader ⊂ member ⊂ admin, project-scoped). Role implication is not spelled out in the
// rules: credentials carry implied roles already (see expandImpliedRoles).

export const ADMIN = 'rule:context_is_admin';
export const PROJECT_MEMBER = 'role:member and project_id:%(project_id)s';
export const PROJECT_READER = 'role:reader and project_id:%(project_id)s';
export const PROJECT_MEMBER_OR_ADMIN = 'rule:project_member_or_admin';
export const PROJECT_READER_OR_ADMIN = 'rule:project_reader_or_admin';

export const BASE_RULES: Readonly<Record<string, string>> = {
  context_is_admin: 'role:admin',
  // Glance ships "" (anyone) here; strata fails closed instead: every action strata
  // enforces has its own default, so `default` only catches typos in rule references.
  default: '!',
  project_member_api: PROJECT_MEMBER,
  project_reader_api: PROJECT_READER,
  project_member_or_admin: `rule:project_member_api or ${ADMIN}`,
  project_reader_or_admin: `rule:project_reader_api or ${ADMIN}`,
};
