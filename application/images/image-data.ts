// Image data in and out of the store: a direct upload (queued → saving → active), staging
// for a glance-direct import (queued → uploading), and the byte limits that apply to both.
// Any failure returns the image to queued and removes what was written.
import type { Readable } from 'node:stream';
import { DomainError } from '../../domain/decider.js';
import type { ImageRecord } from '../../domain/image/image.js';
import type { EventMetadata } from '../../eventstore/port.js';
import { checkDeclaredFormat } from '../../imagestore/format-check.js';
import type { FilesystemImageStore, StoredFile } from '../../imagestore/filesystem-store.js';
import { ImageTooLargeError } from '../../imagestore/hashing-counter.js';
import type { ImageQueries } from '../../projections/image-queries.js';
import type { ImageCommands } from './image-commands.js';

/** How a client that goes away mid-upload surfaces: its fault, not the server's. */
const INTERRUPTED = new Set(['ERR_STREAM_PREMATURE_CLOSE', 'ECONNRESET', 'ECONNABORTED']);

export interface ImageLimits {
  /** Glance's image_size_cap. */
  imageSizeCapBytes: number;
  /** Glance's user_storage_quota per project; 0 = unlimited. */
  userStorageQuotaBytes: number;
}

export interface ImageDataDependencies {
  commands: ImageCommands;
  queries: ImageQueries;
  store: FilesystemImageStore;
  limits: ImageLimits;
}

export class ImageData {
  constructor(private readonly deps: ImageDataDependencies) {}

  /** Most bytes the owner may still store: the size cap, or what the quota leaves if less. */
  maxBytesFor(owner: string): number {
    const { imageSizeCapBytes, userStorageQuotaBytes } = this.deps.limits;
    if (userStorageQuotaBytes <= 0) return imageSizeCapBytes;
    return Math.max(0, Math.min(imageSizeCapBytes, userStorageQuotaBytes - this.deps.queries.storageUsed(owner)));
  }

  /**
   * At start-up: uploads an earlier API process was receiving when it died go back to
   * queued (the client may upload again) and their half-written files are removed. This
   * assumes one API process per image store, the default; replicas sharing a store would
   * need each upload to record which process receives it.
   */
  async abandonInterruptedUploads(metadata: EventMetadata): Promise<number> {
    const interrupted = this.deps.queries.receivingData();
    for (const imageId of interrupted) await this.fail(imageId, new Error('The upload was interrupted: the API process receiving it stopped.'), metadata);
    await this.deps.store.removePartials();
    return interrupted.length;
  }

  async upload(imageId: string, body: Readable, metadata: EventMetadata): Promise<void> {
    const image = await this.deps.commands.run(imageId, { kind: 'startUpload' }, metadata);
    const stored = await this.receive(image, body, 'images', metadata);
    try {
      const report = await this.deps.store.inspect('images', stored.location);
      const virtualSize = checkDeclaredFormat(image.disk_format ?? 'raw', report);
      const { location, size, checksum, osHashValue } = stored;
      await this.deps.commands.run(imageId, { kind: 'activate', data: { location, size, checksum, osHashAlgo: 'sha512', osHashValue, virtualSize } }, metadata);
    } catch (error) {
      await this.deps.store.remove('images', stored.location);
      await this.fail(imageId, error, metadata);
      throw error;
    }
  }

  async stage(imageId: string, body: Readable, metadata: EventMetadata): Promise<void> {
    const image = await this.deps.commands.run(imageId, { kind: 'startStaging' }, metadata);
    const stored = await this.receive(image, body, 'staging', metadata);
    try {
      const { location, size, checksum, osHashValue } = stored;
      await this.deps.commands.run(imageId, { kind: 'recordStaged', staged: { location, size, checksum, osHashAlgo: 'sha512', osHashValue } }, metadata);
    } catch (error) {
      await this.deps.store.remove('staging', stored.location);
      await this.fail(imageId, error, metadata);
      throw error;
    }
  }

  private async receive(image: ImageRecord, body: Readable, area: 'images' | 'staging', metadata: EventMetadata): Promise<StoredFile> {
    try {
      return await this.deps.store.write(body, { area, maxBytes: this.maxBytesFor(image.owner) });
    } catch (error) {
      await this.fail(image.id, error, metadata);
      if (error instanceof ImageTooLargeError) {
        throw new DomainError('too_large', `Image exceeds the storage quota or the image size cap: at most ${error.limit} bytes may be stored.`);
      }
      if (INTERRUPTED.has((error as NodeJS.ErrnoException).code ?? '')) throw new DomainError('invalid', 'The upload was interrupted before all of its data arrived.');
      throw error;
    }
  }

  /** Back to queued; a failure to record that must not hide the original error. */
  private async fail(imageId: string, cause: unknown, metadata: EventMetadata): Promise<void> {
    const reason = cause instanceof Error ? cause.message.slice(0, 1024) : 'upload failed';
    await this.deps.commands.run(imageId, { kind: 'failUpload', reason }, metadata).catch(() => undefined);
  }
}
