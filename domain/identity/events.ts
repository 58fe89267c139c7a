// Identity events (Keystone's projects, users, roles, grants and tokens). Projects, users,
// roles and grants of a domain share one stream, `domain-<id>`: names are unique within a
// domain, and one stream makes that invariant atomic. Each token has its own stream.
// Passwords and tokens appear only as hashes; a token's own value never reaches the log.
import { z } from 'zod';

const id = z.string().regex(/^[0-9a-f]{32}$/, 'a 32-digit hex id');
const name = z.string().min(1).max(255);

export const identityEventSchemas = {
  'ProjectCreated.v1': z.object({ projectId: id, name, domainId: z.string(), description: z.string().max(65535), enabled: z.boolean() }),
  'ProjectUpdated.v1': z.object({ projectId: id, name: name.optional(), description: z.string().max(65535).optional(), enabled: z.boolean().optional() }),
  'UserCreated.v1': z.object({
    userId: id,
    name,
    domainId: z.string(),
    passwordHash: z.string(),
    enabled: z.boolean(),
    email: z.string().max(255).nullable(),
    defaultProjectId: id.nullable(),
  }),
  'UserUpdated.v1': z.object({ userId: id, enabled: z.boolean().optional(), email: z.string().max(255).nullable().optional(), defaultProjectId: id.nullable().optional() }),
  'UserPasswordChanged.v1': z.object({ userId: id, passwordHash: z.string() }),
  'RoleCreated.v1': z.object({ roleId: id, name }),
  'RoleGranted.v1': z.object({ userId: id, projectId: id, roleId: id }),
  'RoleRevoked.v1': z.object({ userId: id, projectId: id, roleId: id }),
  'ProjectDeleted.v1': z.object({ projectId: id }),
  'UserDeleted.v1': z.object({ userId: id }),
  'TokenIssued.v1': z.object({
    tokenHash: z.string().regex(/^[0-9a-f]{64}$/),
    auditId: z.string(),
    userId: id,
    projectId: id.nullable(),
    roles: z.array(z.object({ id, name })),
    methods: z.array(z.string()),
    issuedAt: z.string(),
    expiresAt: z.string(),
  }),
  'TokenRevoked.v1': z.object({ tokenHash: z.string().regex(/^[0-9a-f]{64}$/) }),
} as const;

type Schemas = typeof identityEventSchemas;
export type IdentityEventType = keyof Schemas;
export type IdentityEvent = { [Type in IdentityEventType]: { type: Type; data: z.infer<Schemas[Type]> } }[IdentityEventType];
export type IdentityEventData<Type extends IdentityEventType> = z.infer<Schemas[Type]>;
