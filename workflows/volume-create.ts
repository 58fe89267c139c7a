// Creating a volume (workflow `create-volume-<id>`): its storage node makes the file and
// records the volume available; if the node refuses or never answers, the volume is
// recorded in error with the cause.
import { upsertSearchAttributes } from '@temporalio/workflow';
import { searchAttributes } from './search-attributes.js';
import type { VolumeWorkflowInput } from './volume-storage.js';
import { onNodeOrRecordFailure } from './volume-storage.js';

export async function createVolume(input: VolumeWorkflowInput): Promise<'available' | 'error'> {
  upsertSearchAttributes([{ key: searchAttributes.operation, value: 'create-volume' }]);
  return (await onNodeOrRecordFailure(input, 'create', (storage, volumeId) => storage.createVolume(volumeId))) ? 'available' : 'error';
}
