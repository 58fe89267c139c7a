// The snapshot's steps on the control queue (contract.ts SnapshotControlActivities):
// recording its progress on the instance stream, and discarding a failed snapshot's image.
import { ApplicationFailure } from '@temporalio/common';
import { handleCommand } from '../../application/handle-command.js';
import { recordInstanceStep } from '../../application/instances/record-step.js';
import type { InstanceEvent } from '../../domain/compute/instance.js';
import { DomainError, fold } from '../../domain/decider.js';
import type { ImageEvent } from '../../domain/image/events.js';
import { imageStream } from '../../domain/image/events.js';
import { imageDecider } from '../../domain/image/image.js';
import type { EventStore } from '../../eventstore/port.js';
import type { FilesystemImageStore } from '../../imagestore/filesystem-store.js';
import { activityMetadata } from '../event-metadata.js';
import type { SnapshotControlActivities, SnapshotStep } from './contract.js';

export interface SnapshotControlDependencies {
  events: EventStore;
  store: FilesystemImageStore;
}

/** A refusal by the decider (the instance is being deleted …) will not change on retry. */
async function permanentIfRefused<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof DomainError) throw ApplicationFailure.nonRetryable(error.message, `DomainError.${error.kind}`);
    throw error;
  }
}

export function createSnapshotControlActivities({ events, store }: SnapshotControlDependencies): SnapshotControlActivities {
  const record = (step: SnapshotStep, event: Exclude<InstanceEvent, { type: 'InstanceRequested.v1' }>) =>
    permanentIfRefused(() => recordInstanceStep(events, step, event, activityMetadata()));

  return {
    async recordSnapshotProgress(step, imageId, stage) {
      await record(step, stage === 'captured' ? { type: 'InstanceSnapshotCaptured.v1', data: { imageId } } : { type: 'InstanceSnapshotUploading.v1', data: { imageId } });
    },

    async recordSnapshotEnded(step, imageId, failure) {
      const data = { imageId, outcome: failure === null ? 'completed' : 'failed', reason: failure?.slice(0, 1024) ?? null, endedAt: new Date().toISOString() } as const;
      await record(step, { type: 'InstanceSnapshotEnded.v1', data });
    },

    async discardSnapshotImage(step, imageId) {
      const stream = imageStream(imageId);
      const image = fold(imageDecider, (await events.readStream(stream)) as unknown as ImageEvent[]);
      if (image && image.status !== 'deleted') {
        await handleCommand(events, imageDecider, stream, { kind: 'delete' }, { metadata: activityMetadata(), idempotencyKey: step.key });
      }
      // The data of an image deleted by an earlier attempt (or by its owner meanwhile) goes too.
      if (image?.data) await store.remove('images', image.data.location);
    },
  };
}
