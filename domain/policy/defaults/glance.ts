// Glance's image policies (glance/policies/image.py and base.py, modern defaults).
// Target keys, as Glance's ImageTarget provides them: project_id and owner = the image's
// owner, visibility, member_id = the caller's project when it is a member of the image.
// get_image lets any reader through for shared images: as in Glance, whether the caller
// is an accepted member is the image listing's concern, not the policy's.
import { ADMIN, PROJECT_MEMBER } from './base.js';

const ADMIN_OR_PROJECT_MEMBER = `${ADMIN} or (${PROJECT_MEMBER})`;
const ADMIN_OR_PROJECT_READER = `${ADMIN} or (role:reader and project_id:%(project_id)s)`;
const ADMIN_OR_PROJECT_READER_OR_SHARED_MEMBER =
  `${ADMIN} or role:reader and (project_id:%(project_id)s or project_id:%(member_id)s)`;
const VISIBLE_TO_PROJECT =
  'project_id:%(project_id)s or project_id:%(member_id)s or "community":%(visibility)s ' +
  'or "public":%(visibility)s or "shared":%(visibility)s';

export const GLANCE_RULES: Readonly<Record<string, string>> = {
  add_image: `${ADMIN} or (${PROJECT_MEMBER} and project_id:%(owner)s)`,
  get_image: `${ADMIN} or (role:reader and (${VISIBLE_TO_PROJECT}))`,
  get_images: ADMIN_OR_PROJECT_READER,
  modify_image: ADMIN_OR_PROJECT_MEMBER,
  delete_image: ADMIN_OR_PROJECT_MEMBER,
  upload_image: ADMIN_OR_PROJECT_MEMBER,
  download_image: `${ADMIN} or (role:member and (${VISIBLE_TO_PROJECT}))`,
  deactivate: ADMIN_OR_PROJECT_MEMBER,
  reactivate: ADMIN_OR_PROJECT_MEMBER,
  publicize_image: ADMIN,
  // Upstream Glance lets project members make their images community images.
  communitize_image: ADMIN_OR_PROJECT_MEMBER,
  // Glance has no tag policies: tags are changed under modify_image.
  add_member: ADMIN_OR_PROJECT_MEMBER,
  delete_member: ADMIN_OR_PROJECT_MEMBER,
  get_member: ADMIN_OR_PROJECT_READER_OR_SHARED_MEMBER,
  get_members: ADMIN_OR_PROJECT_READER_OR_SHARED_MEMBER,
  modify_member: `${ADMIN} or (role:member and project_id:%(member_id)s)`,
  manage_image_cache: ADMIN,
};
