// Imports an image's data (Glance's interoperable import): download it (web-download) or
// take what was staged (glance-direct), verify its format, move it into the store, and
// activate the image. Any failure puts the image back to queued with nothing kept, and
// the workflow fails with the cause, for operators to see.
import { ActivityFailure, ApplicationFailure, proxyActivities } from '@temporalio/workflow';
import type { ImageImportActivities } from '../activities/image-import.js';
import type { StoredData } from '../domain/image/events.js';
import type { ImportMethod } from '../domain/image/vocabulary.js';
import { tagWorkflow } from './search-attributes.js';

export interface ImageImportInput {
  imageId: string;
  method: ImportMethod;
  /** web-download's source. */
  uri: string | null;
  /** glance-direct's staged data. */
  staged: StoredData | null;
  /** The size cap, or what the owner's quota leaves, when the import was accepted. */
  maxBytes: number;
}

const { downloadImage } = proxyActivities<ImageImportActivities>({
  startToCloseTimeout: '6 hours',
  heartbeatTimeout: '1 minute',
  retry: { initialInterval: '2 seconds', maximumInterval: '1 minute', maximumAttempts: 5 },
});

const { verifyImageData, storeImageData, activateImage, failImport } = proxyActivities<ImageImportActivities>({
  startToCloseTimeout: '10 minutes',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds', maximumAttempts: 10 },
});

function describe(error: unknown): string {
  const cause = error instanceof ActivityFailure && error.cause ? error.cause : error;
  return cause instanceof Error ? cause.message : String(cause);
}

export async function imageImport(input: ImageImportInput): Promise<'active' | 'deleted'> {
  const { imageId } = input;
  tagWorkflow('image-import', { imageId });
  let stored = input.staged;
  try {
    if (input.method === 'web-download') {
      if (!input.uri) throw ApplicationFailure.nonRetryable('web-download needs a uri');
      stored = await downloadImage({ uri: input.uri, maxBytes: input.maxBytes });
    }
    if (!stored) throw ApplicationFailure.nonRetryable('glance-direct import without staged data');
    const virtualSize = await verifyImageData({ imageId, location: stored.location });
    await storeImageData({ location: stored.location });
    return (await activateImage({ imageId, stored, virtualSize })) ? 'active' : 'deleted';
  } catch (error) {
    await failImport({ imageId, reason: describe(error), location: stored?.location ?? null });
    throw error;
  }
}
