// Nova's policies for the calls strata serves (nova/policies/*.py, modern defaults).
// Target keys: project_id and user_id of the instance (of the caller for create).
import { ADMIN, PROJECT_MEMBER_OR_ADMIN, PROJECT_READER_OR_ADMIN } from './base.js';

export const NOVA_RULES: Readonly<Record<string, string>> = {
  'os_compute_api:servers:create': PROJECT_MEMBER_OR_ADMIN,
  'os_compute_api:servers:create:forced_host': ADMIN,
  'os_compute_api:servers:create:zero_disk_flavor': ADMIN,
  'os_compute_api:servers:create:attach_volume': PROJECT_MEMBER_OR_ADMIN,
  'os_compute_api:servers:show': PROJECT_READER_OR_ADMIN,
  'os_compute_api:servers:show:host_status': ADMIN,
  'os_compute_api:servers:index': PROJECT_READER_OR_ADMIN,
  'os_compute_api:servers:index:get_all_tenants': ADMIN,
  'os_compute_api:servers:detail': PROJECT_READER_OR_ADMIN,
  'os_compute_api:servers:detail:get_all_tenants': ADMIN,
  'os_compute_api:servers:delete': PROJECT_MEMBER_OR_ADMIN,
  'os_compute_api:servers:create_image': PROJECT_MEMBER_OR_ADMIN,
  'os_compute_api:os-extended-server-attributes': ADMIN,
  // Nova checks no rule to list or show flavors; strata names one so the routes still require a token.
  'os_compute_api:flavors': '@',
  'os_compute_api:os-flavor-extra-specs:index': PROJECT_READER_OR_ADMIN,
  'os_compute_api:os-flavor-manage:create': ADMIN,
  'os_compute_api:os-flavor-manage:delete': ADMIN,
  'os_compute_api:os-hypervisors:list': ADMIN,
  'os_compute_api:os-availability-zone:list': '@',
  'os_compute_api:os-availability-zone:detail': ADMIN,
  'os_compute_api:os-instance-actions:list': PROJECT_READER_OR_ADMIN,
  'os_compute_api:os-instance-actions:show': PROJECT_READER_OR_ADMIN,
  'os_compute_api:os-instance-actions:events': ADMIN,
  'os_compute_api:os-console-output': PROJECT_MEMBER_OR_ADMIN,
  'os_compute_api:os-volumes-attachments:index': PROJECT_READER_OR_ADMIN,
  'os_compute_api:os-volumes-attachments:create': PROJECT_MEMBER_OR_ADMIN,
  'os_compute_api:os-volumes-attachments:delete': PROJECT_MEMBER_OR_ADMIN,
  'os_compute_api:os-server-groups:create': 'rule:project_member_api',
  'os_compute_api:os-server-groups:index': PROJECT_READER_OR_ADMIN,
  'os_compute_api:os-server-groups:index:all_projects': ADMIN,
  'os_compute_api:os-server-groups:show': PROJECT_READER_OR_ADMIN,
  'os_compute_api:os-server-groups:delete': PROJECT_MEMBER_OR_ADMIN,
};
