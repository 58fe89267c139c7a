// Recording a snapshot (Nova's createImage) and starting its workflow. The instance's state
// is checked first, so a refused snapshot writes nothing; then the image record is created
// (queued, owned by the instance's project, with the properties Nova gives a snapshot),
// then InstanceSnapshotStarted is decided on the instance stream — where a concurrent
// snapshot or delete that got there first makes this one a 409, and the image just made
// is deleted again — and only then workflow `snapshot-<requestId>` is started.
import type { Client } from '@temporalio/client';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { randomUUID } from 'node:crypto';
import type { InstanceEvent } from '../../domain/compute/instance.js';
import { instanceDecider, instanceStream } from '../../domain/compute/instance.js';
import { DomainError, fold } from '../../domain/decider.js';
import { DEFAULT_ATTRIBUTES } from '../../domain/image/creation.js';
import type { EventMetadata, EventStore } from '../../eventstore/port.js';
import type { ProjectionRunner } from '../../projections/runner.js';
import type { snapshotInstance } from '../../workflows/snapshot.js';
import { searchAttributes } from '../../workflows/search-attributes.js';
import { CONTROL_TASK_QUEUE } from '../../workflows/task-queues.js';
import type { ImageCommands } from '../images/image-commands.js';
import { handleCommand } from '../handle-command.js';
import { snapshotProperties } from './snapshot-properties.js';
import { READ_YOUR_WRITES_TIMEOUT_MS, TEMPORAL_CALL_TIMEOUT_MS } from '../timeouts.js';

export function snapshotWorkflowId(requestId: string): string {
  return `snapshot-${requestId}`;
}

export interface SnapshotterDependencies {
  events: EventStore;
  projections: ProjectionRunner;
  temporal: Client;
  images: ImageCommands;
  taskQueue?: string;
}

export interface SnapshotWish {
  name: string;
  /** The caller's `metadata`: extra properties of the new image, over the inherited ones. */
  metadata: Record<string, string>;
}

type StartedEvent = Extract<InstanceEvent, { type: 'InstanceSnapshotStarted.v1' }>;

export class InstanceSnapshotter {
  constructor(private readonly deps: SnapshotterDependencies) {}

  /** Creates the image, records the start and starts the workflow; answers the new image's id. */
  async snapshot(instanceId: string, wish: SnapshotWish, metadata: EventMetadata): Promise<string> {
    const { events } = this.deps;
    const stream = instanceStream(instanceId);
    const imageId = randomUUID();
    const workflowId = snapshotWorkflowId(metadata.requestId ?? randomUUID());
    const started: StartedEvent = { type: 'InstanceSnapshotStarted.v1', data: { imageId, workflowId, startedAt: metadata.timestamp } };
    const state = fold(instanceDecider, (await events.readStream(stream)) as unknown as InstanceEvent[]);
    // Refused here (409/404) before anything is written.
    instanceDecider.decide({ kind: 'record', event: started }, state);
    const { request, host } = state;
    if (!request || host === null) throw new DomainError('conflict', `Cannot 'createImage' instance ${instanceId}: it has no host.`);
    const properties = snapshotProperties(request, wish.metadata);
    await this.deps.images.create(
      {
        id: imageId,
        attributes: {
          ...DEFAULT_ATTRIBUTES,
          name: wish.name,
          visibility: 'private',
          container_format: 'bare',
          disk_format: 'qcow2',
          min_ram: request.image.minRamMb,
          // The captured disk has the flavor's root size: a smaller root disk could not hold it.
          min_disk: Math.max(request.image.minDiskGb, request.flavor.diskGb),
          tags: [],
        },
        properties,
      },
      request.projectId,
      metadata,
    );
    let position: number;
    try {
      ({ position } = await handleCommand(events, instanceDecider, stream, { kind: 'record', event: started }, { metadata }));
      await this.start(workflowId, { instanceId, imageId, host }, request.projectId);
    } catch (error) {
      await this.abandon(instanceId, imageId, error, metadata);
      if (error instanceof WorkflowExecutionAlreadyStartedError) throw new DomainError('conflict', `Request ${metadata.requestId ?? ''} already started a snapshot; send a new request id.`);
      throw error;
    }
    await this.deps.projections.waitFor(position, READ_YOUR_WRITES_TIMEOUT_MS);
    return imageId;
  }

  private async start(workflowId: string, input: Parameters<typeof snapshotInstance>[0], projectId: string): Promise<void> {
    const { temporal } = this.deps;
    await temporal.connection.withDeadline(Date.now() + TEMPORAL_CALL_TIMEOUT_MS, () =>
      temporal.workflow.start<typeof snapshotInstance>('snapshotInstance', {
        taskQueue: this.deps.taskQueue ?? CONTROL_TASK_QUEUE,
        workflowId,
        // A request id sent twice must not join another snapshot's workflow.
        workflowIdConflictPolicy: 'FAIL',
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
        args: [input],
        typedSearchAttributes: [
          { key: searchAttributes.instanceId, value: input.instanceId },
          { key: searchAttributes.imageId, value: input.imageId },
          { key: searchAttributes.project, value: projectId },
          { key: searchAttributes.operation, value: 'snapshot' },
        ],
      }),
    );
  }

  /** Undoes a start that did not go through: the snapshot ends (if it was recorded) and its image goes. */
  private async abandon(instanceId: string, imageId: string, cause: unknown, metadata: EventMetadata): Promise<void> {
    const reason = cause instanceof Error ? cause.message.slice(0, 1024) : 'the snapshot could not start';
    const ended = { type: 'InstanceSnapshotEnded.v1', data: { imageId, outcome: 'failed', reason, endedAt: new Date().toISOString() } } as const;
    await handleCommand(this.deps.events, instanceDecider, instanceStream(instanceId), { kind: 'record', event: ended }, { metadata }).catch(() => undefined);
    await this.deps.images.delete(imageId, metadata).catch(() => undefined);
  }
}
