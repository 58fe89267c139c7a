// Keystone v3 response bodies, as keystoneclient and openstacksdk parse them.
import type { Caller } from '../../domain/identity/caller.js';
import { DEFAULT_DOMAIN } from '../../domain/identity/directory.js';
import type { ProjectRow, RoleRow, UserRow } from '../../projections/identity-queries.js';

export function projectView(base: string, row: ProjectRow) {
  return {
    id: row.id,
    name: row.name,
    domain_id: row.domain_id,
    description: row.description,
    enabled: row.enabled === 1,
    is_domain: false,
    parent_id: row.domain_id,
    tags: [],
    options: {},
    links: { self: `${base}/v3/projects/${row.id}` },
  };
}

export function userView(base: string, row: UserRow) {
  return {
    id: row.id,
    name: row.name,
    domain_id: row.domain_id,
    enabled: row.enabled === 1,
    ...(row.email === null ? {} : { email: row.email }),
    ...(row.default_project_id === null ? {} : { default_project_id: row.default_project_id }),
    password_expires_at: null,
    options: {},
    links: { self: `${base}/v3/users/${row.id}` },
  };
}

export function roleView(base: string, row: RoleRow) {
  return { id: row.id, name: row.name, domain_id: null, description: null, options: {}, links: { self: `${base}/v3/roles/${row.id}` } };
}

export function domainView(base: string) {
  return { ...DEFAULT_DOMAIN, description: 'The default domain', enabled: true, tags: [], options: {}, links: { self: `${base}/v3/domains/${DEFAULT_DOMAIN.id}` } };
}

export function listLinks(base: string, path: string) {
  return { self: `${base}/v3/${path}`, previous: null, next: null };
}

export interface CatalogService {
  type: string;
  name: string;
  url: string;
}

export function tokenView(caller: Caller, catalog: CatalogService[] | null, region: string) {
  const domain = { id: DEFAULT_DOMAIN.id, name: DEFAULT_DOMAIN.name };
  return {
    token: {
      methods: caller.methods,
      user: { domain, id: caller.userId, name: caller.userName, password_expires_at: null },
      audit_ids: [caller.auditId],
      expires_at: caller.expiresAt,
      issued_at: caller.issuedAt,
      ...(caller.project ? { project: { domain, id: caller.project.id, name: caller.project.name }, is_domain: false, roles: caller.roles } : {}),
      ...(catalog
        ? {
            catalog: catalog.map((service) => ({
              id: `${service.type}-${service.name}`,
              type: service.type,
              name: service.name,
              endpoints: (['public', 'internal', 'admin'] as const).map((face) => ({
                id: `${service.type}-${face}`,
                interface: face,
                region,
                region_id: region,
                url: service.url,
              })),
            })),
          }
        : {}),
    },
  };
}
