// Activities of the image import workflow: download (web-download), verify the data's
// format, move it into the store, activate the image — or, on failure, put the image
// back to queued and remove the data. Each records its event with an id derived from the
// workflow, so a retried activity never records twice.
import { activityInfo, ApplicationFailure, heartbeat, cancellationSignal } from '@temporalio/activity';
import { handleCommand } from '../application/handle-command.js';
import { DomainError, fold } from '../domain/decider.js';
import type { StoredData } from '../domain/image/events.js';
import { imageStream } from '../domain/image/events.js';
import { imageDecider } from '../domain/image/image.js';
import type { ImageCommand } from '../domain/image/image.js';
import type { ImageEvent } from '../domain/image/events.js';
import type { EventStore } from '../eventstore/port.js';
import { activityMetadata } from './event-metadata.js';
import { checkDeclaredFormat } from '../imagestore/format-check.js';
import type { FilesystemImageStore } from '../imagestore/filesystem-store.js';
import { ImageTooLargeError } from '../imagestore/hashing-counter.js';
import { openWebDownload, WebDownloadHttpError, WebDownloadPolicy, WebDownloadRefusedError } from './web-download.js';

export interface ImageImportDependencies {
  events: EventStore;
  store: FilesystemImageStore;
  /** web-download targets allowed although not public (config images.webDownloadAllowList). */
  webDownloadAllowList: readonly string[];
}

/** Heartbeat at most this often while bytes flow, so a large download does not flood Temporal. */
const HEARTBEAT_INTERVAL_MS = 1_000;

function workflowExecution(): { workflowId: string; runId: string } {
  const execution = activityInfo().workflowExecution;
  if (!execution) throw new Error('image import activities run inside the image import workflow');
  return execution;
}

/** Bad input will not get better by retrying: tell Temporal so. */
function nonRetryableIfPermanent(error: unknown): unknown {
  const permanent =
    error instanceof DomainError ||
    error instanceof WebDownloadRefusedError ||
    error instanceof ImageTooLargeError ||
    (error instanceof WebDownloadHttpError && error.status >= 400 && error.status < 500);
  return permanent ? ApplicationFailure.nonRetryable((error as Error).message, (error as Error).name) : error;
}

export function createImageImportActivities(deps: ImageImportDependencies) {
  const policy = new WebDownloadPolicy(deps.webDownloadAllowList);

  async function record(imageId: string, command: ImageCommand, step: string) {
    // The run id too: a later import of the same image reuses the workflow id.
    const { workflowId, runId } = workflowExecution();
    const stream = imageStream(imageId);
    return handleCommand(deps.events, imageDecider, stream, command, { metadata: activityMetadata(), idempotencyKey: `${workflowId}/${runId}/${step}` });
  }

  return {
    async downloadImage(input: { uri: string; maxBytes: number }): Promise<StoredData> {
      let lastBeat = 0;
      try {
        const body = await openWebDownload(input.uri, policy, cancellationSignal());
        const stored = await deps.store.write(body, {
          area: 'staging',
          maxBytes: input.maxBytes,
          onBytes: (bytes) => {
            if (Date.now() - lastBeat < HEARTBEAT_INTERVAL_MS) return;
            lastBeat = Date.now();
            heartbeat({ bytes });
          },
        });
        return { ...stored, osHashAlgo: 'sha512' };
      } catch (error) {
        throw nonRetryableIfPermanent(error);
      }
    },

    /** The data must be what the image's disk_format (as it is now) says; returns its virtual size. */
    async verifyImageData(input: { imageId: string; location: string }): Promise<number | null> {
      const history = await deps.events.readStream(imageStream(input.imageId));
      const image = fold(imageDecider, history.map((event) => ({ type: event.type, data: event.data }) as ImageEvent));
      try {
        if (!image?.disk_format) throw new DomainError('invalid', 'disk_format must be set before import.');
        return checkDeclaredFormat(image.disk_format, await deps.store.inspect('staging', input.location));
      } catch (error) {
        throw nonRetryableIfPermanent(error);
      }
    },

    async storeImageData(input: { location: string }): Promise<void> {
      try {
        await deps.store.promote(input.location);
      } catch (error) {
        // A retry after a promote whose completion was lost finds the data already in place.
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
        await deps.store.size('images', input.location);
      }
    },

    /** Returns false when the image was deleted meanwhile (its data is then removed). */
    async activateImage(input: { imageId: string; stored: StoredData; virtualSize: number | null }): Promise<boolean> {
      try {
        await record(input.imageId, { kind: 'activate', data: { ...input.stored, virtualSize: input.virtualSize } }, 'activate');
        return true;
      } catch (error) {
        if (!(error instanceof DomainError && error.kind === 'gone')) throw nonRetryableIfPermanent(error);
        await deps.store.remove('images', input.stored.location);
        return false;
      }
    },

    async failImport(input: { imageId: string; reason: string; location: string | null }): Promise<void> {
      if (input.location) {
        await deps.store.remove('staging', input.location);
        await deps.store.remove('images', input.location);
      }
      try {
        await record(input.imageId, { kind: 'failUpload', reason: input.reason.slice(0, 1024) }, 'fail');
      } catch (error) {
        // Deleted meanwhile: nothing to return to queued.
        if (!(error instanceof DomainError && error.kind === 'not_found')) throw error;
      }
    },
  };
}

export type ImageImportActivities = ReturnType<typeof createImageImportActivities>;
