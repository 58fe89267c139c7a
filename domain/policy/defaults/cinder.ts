// Cinder's volume policies strata needs (cinder/policies/volumes.py, modern defaults).
// Target keys: project_id of the volume (of the caller for create).
import { PROJECT_MEMBER_OR_ADMIN, PROJECT_READER_OR_ADMIN } from './base.js';

export const CINDER_RULES: Readonly<Record<string, string>> = {
  'volume:create': PROJECT_MEMBER_OR_ADMIN,
  'volume:get': PROJECT_READER_OR_ADMIN,
  'volume:get_all': PROJECT_READER_OR_ADMIN,
  'volume:delete': PROJECT_MEMBER_OR_ADMIN,
};
