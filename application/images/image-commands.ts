// Runs image commands: decide on the image's stream, append, then wait until the read
// model shows the change (read-your-writes), so the API can answer from the read model.
import { randomUUID } from 'node:crypto';
import type { ImageCreation } from '../../domain/image/creation.js';
import { imageStream } from '../../domain/image/events.js';
import { imageDecider } from '../../domain/image/image.js';
import type { ImageChanges, ImageCommand, ImageRecord } from '../../domain/image/image.js';
import type { MemberStatus } from '../../domain/image/vocabulary.js';
import type { EventMetadata, EventStore } from '../../eventstore/port.js';
import type { FilesystemImageStore } from '../../imagestore/filesystem-store.js';
import type { ProjectionRunner } from '../../projections/runner.js';
import { handleCommand } from '../handle-command.js';
import { READ_YOUR_WRITES_TIMEOUT_MS } from '../timeouts.js';

export interface ImageCommandDependencies {
  events: EventStore;
  projections: ProjectionRunner;
  store: FilesystemImageStore;
}

export class ImageCommands {
  constructor(private readonly deps: ImageCommandDependencies) {}

  /** Decides and records one command; resolves once the read model shows it. */
  async run(imageId: string, command: ImageCommand, metadata: EventMetadata): Promise<ImageRecord> {
    const { state, position } = await handleCommand(this.deps.events, imageDecider, imageStream(imageId), command, { metadata });
    if (position > 0) await this.deps.projections.waitFor(position, READ_YOUR_WRITES_TIMEOUT_MS);
    // Only creation starts from no image, and it always leaves one.
    if (!state) throw new Error(`image ${imageId} has no state after ${command.kind}`);
    return state;
  }

  async create(creation: ImageCreation, owner: string, metadata: EventMetadata): Promise<string> {
    const imageId = creation.id ?? randomUUID();
    await this.run(imageId, { kind: 'create', imageId, owner, attributes: creation.attributes, properties: creation.properties }, metadata);
    return imageId;
  }

  /** `owner`: the project the image moves to, if it does. */
  async update(imageId: string, changes: ImageChanges, metadata: EventMetadata, owner?: string): Promise<void> {
    await this.run(imageId, { kind: 'update', changes, owner }, metadata);
  }

  async setTags(imageId: string, tags: string[], metadata: EventMetadata): Promise<void> {
    await this.update(imageId, { attributes: { tags }, setProperties: {}, removedProperties: [] }, metadata);
  }

  /** Records the deletion, then frees the image's data (nothing refers to it any more). */
  async delete(imageId: string, metadata: EventMetadata): Promise<void> {
    const deleted = await this.run(imageId, { kind: 'delete' }, metadata);
    if (deleted.data) await this.deps.store.remove('images', deleted.data.location);
    if (deleted.staged) await this.deps.store.remove('staging', deleted.staged.location);
  }

  async setStatus(imageId: string, kind: 'deactivate' | 'reactivate', metadata: EventMetadata): Promise<void> {
    await this.run(imageId, { kind }, metadata);
  }

  async addMember(imageId: string, memberId: string, metadata: EventMetadata): Promise<void> {
    await this.run(imageId, { kind: 'addMember', memberId }, metadata);
  }

  async setMemberStatus(imageId: string, memberId: string, status: MemberStatus, metadata: EventMetadata): Promise<void> {
    await this.run(imageId, { kind: 'setMemberStatus', memberId, status }, metadata);
  }

  async removeMember(imageId: string, memberId: string, metadata: EventMetadata): Promise<void> {
    await this.run(imageId, { kind: 'removeMember', memberId }, metadata);
  }
}
