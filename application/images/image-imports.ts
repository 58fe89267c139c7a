// Starts an image import (Glance's POST /v2/images/{id}/import): records the intent on the
// image, then starts the import workflow. If Temporal will not take the workflow, the
// image goes back to queued (or uploading) rather than staying in importing forever.
import type { Client } from '@temporalio/client';
import { DomainError } from '../../domain/decider.js';
import type { ImportMethod } from '../../domain/image/vocabulary.js';
import type { EventMetadata } from '../../eventstore/port.js';
import type { FilesystemImageStore } from '../../imagestore/filesystem-store.js';
import type { imageImport } from '../../workflows/image-import.js';
import { searchAttributes } from '../../workflows/search-attributes.js';
import { CONTROL_TASK_QUEUE } from '../../workflows/task-queues.js';
import type { ImageCommands } from './image-commands.js';
import type { ImageData } from './image-data.js';

export interface ImageImportDependencies {
  commands: ImageCommands;
  data: ImageData;
  store: FilesystemImageStore;
  temporal: Client;
  taskQueue?: string;
}

/** One business id per image: Temporal refuses a second import while one runs. */
export function imageImportWorkflowId(imageId: string): string {
  return `image-import-${imageId}`;
}

function checkSource(method: ImportMethod, uri: string | undefined): string | null {
  if (method !== 'web-download') return null;
  if (uri === undefined) throw new DomainError('invalid', "The 'web-download' import method requires a 'uri'.");
  let parsed: URL;
  try {
    parsed = new URL(uri);
  } catch {
    throw new DomainError('invalid', `Invalid URI for web-download: ${uri.slice(0, 200)}`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new DomainError('invalid', 'web-download supports http and https URIs only.');
  return parsed.href;
}

export class ImageImports {
  constructor(private readonly deps: ImageImportDependencies) {}

  async start(imageId: string, method: ImportMethod, uri: string | undefined, metadata: EventMetadata): Promise<void> {
    const source = checkSource(method, uri);
    const workflowId = imageImportWorkflowId(imageId);
    const image = await this.deps.commands.run(imageId, { kind: 'startImport', method, uri: source, workflowId }, metadata);
    try {
      await this.deps.temporal.workflow.start<typeof imageImport>('imageImport', {
        taskQueue: this.deps.taskQueue ?? CONTROL_TASK_QUEUE,
        workflowId,
        // A later import of the same image (after a failed one) reuses the business id.
        workflowIdReusePolicy: 'ALLOW_DUPLICATE',
        args: [{ imageId, method, uri: source, staged: image.staged, maxBytes: this.deps.data.maxBytesFor(image.owner) }],
        typedSearchAttributes: [
          { key: searchAttributes.imageId, value: imageId },
          { key: searchAttributes.project, value: image.owner },
          { key: searchAttributes.operation, value: 'image-import' },
        ],
      });
    } catch (error) {
      await this.deps.commands.run(imageId, { kind: 'failUpload', reason: `import could not start: ${(error as Error).message}` }, metadata);
      if (image.staged) await this.deps.store.remove('staging', image.staged.location);
      throw error;
    }
  }
}
