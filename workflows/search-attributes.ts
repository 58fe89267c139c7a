// Custom search attributes every strata workflow carries, so operators can find them
// in the Temporal UI and with `temporal workflow list --query`.
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

export const searchAttributes = {
  instanceId: defineSearchAttributeKey('StrataInstanceId', SearchAttributeType.KEYWORD),
  imageId: defineSearchAttributeKey('StrataImageId', SearchAttributeType.KEYWORD),
  host: defineSearchAttributeKey('StrataHost', SearchAttributeType.KEYWORD),
  project: defineSearchAttributeKey('StrataProject', SearchAttributeType.KEYWORD),
  operation: defineSearchAttributeKey('StrataOperation', SearchAttributeType.KEYWORD),
} as const;
