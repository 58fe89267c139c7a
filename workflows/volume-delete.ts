// Deleting a volume (workflow `delete-volume-<id>`): its storage node removes the file —
// refusing while it is still exported — and records it deleted; otherwise the volume is
// recorded error_deleting with the cause, from where another DELETE tries again.
import { upsertSearchAttributes } from '@temporalio/workflow';
import { searchAttributes } from './search-attributes.js';
import type { VolumeWorkflowInput } from './volume-storage.js';
import { onNodeOrRecordFailure } from './volume-storage.js';

export async function deleteVolume(input: VolumeWorkflowInput): Promise<'deleted' | 'error_deleting'> {
  upsertSearchAttributes([{ key: searchAttributes.operation, value: 'delete-volume' }]);
  return (await onNodeOrRecordFailure(input, 'delete', (storage, volumeId) => storage.deleteVolume(volumeId))) ? 'deleted' : 'error_deleting';
}
