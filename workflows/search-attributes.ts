// Custom search attributes every strata workflow carries, so operators can find them
// in the Temporal UI and with `temporal workflow list --query`.
import type { SearchAttributeUpdatePair } from '@temporalio/common';
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import { patched, upsertSearchAttributes } from '@temporalio/workflow';

export const searchAttributes = {
  instanceId: defineSearchAttributeKey('StrataInstanceId', SearchAttributeType.KEYWORD),
  imageId: defineSearchAttributeKey('StrataImageId', SearchAttributeType.KEYWORD),
  host: defineSearchAttributeKey('StrataHost', SearchAttributeType.KEYWORD),
  project: defineSearchAttributeKey('StrataProject', SearchAttributeType.KEYWORD),
  operation: defineSearchAttributeKey('StrataOperation', SearchAttributeType.KEYWORD),
} as const;

/** Workflows started before every type carried its search attributes replay without the upsert. */
const EVERY_WORKFLOW_TAGGED = 'every-workflow-sets-search-attributes';

/** Sets a workflow's search attributes from inside it (call first thing), so it is found whoever started it. */
export function tagWorkflow(operation: string, attributes: { host?: string; instanceId?: string; imageId?: string; project?: string } = {}): void {
  if (!patched(EVERY_WORKFLOW_TAGGED)) return;
  const pairs: SearchAttributeUpdatePair[] = [{ key: searchAttributes.operation, value: operation }];
  for (const name of ['host', 'instanceId', 'imageId', 'project'] as const) {
    const value = attributes[name];
    if (value !== undefined) pairs.push({ key: searchAttributes[name], value });
  }
  upsertSearchAttributes(pairs);
}
