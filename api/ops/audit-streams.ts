// Which streams the audit API shows: the lifecycle of resources (instances, images,
// volumes, hosts, server groups, flavors). Identity streams (`domain-*`, `token-*`) hold
// password and token hashes, so they stay out of the API; `strata audit export` on the
// host can still export them.
import { z } from 'zod';

const AUDITABLE = /^(?:(?:instance|image|volume|host|heartbeat-host|server-group)-[A-Za-z0-9][A-Za-z0-9._-]{0,254}|flavors)$/;

export const auditableStream = z
  .string()
  .max(300)
  .regex(AUDITABLE, 'must be an instance-, image-, volume-, host-, heartbeat-host- or server-group- stream, or flavors');
