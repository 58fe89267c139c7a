// The filters Keystone's project and user lists share: ?name=, ?enabled=, ?domain_id=.
import { z } from 'zod';

export const directoryListQuery = z.object({
  name: z.string().optional(),
  enabled: z.enum(['true', 'false']).optional(),
  domain_id: z.string().optional(),
});

type ListQuery = z.infer<typeof directoryListQuery>;

export function matchesListQuery(row: { name: string; enabled: number; domain_id: string }, { name, enabled, domain_id }: ListQuery): boolean {
  return (
    (name === undefined || row.name === name) &&
    (enabled === undefined || row.enabled === Number(enabled === 'true')) &&
    (domain_id === undefined || row.domain_id === domain_id)
  );
}
