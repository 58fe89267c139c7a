// Creating and deleting volumes: the command is recorded on `volume-<id>` first (the
// volume exists, creating or deleting, from then on), then its workflow is started on the
// business id, so a retried call never runs two. If the start fails and no workflow runs,
// the failure is recorded on the volume instead of leaving it creating (or deleting) forever.
import type { Client } from '@temporalio/client';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import type { VolumeRequest } from '../../domain/volume/events.js';
import { volumeStream } from '../../domain/volume/events.js';
import type { RecordedVolumeEvent } from '../../domain/volume/volume.js';
import { volumeDecider } from '../../domain/volume/volume.js';
import type { EventMetadata, EventStore } from '../../eventstore/port.js';
import type { ProjectionRunner } from '../../projections/runner.js';
import { searchAttributes } from '../../workflows/search-attributes.js';
import { CONTROL_TASK_QUEUE } from '../../workflows/task-queues.js';
import type { createVolume } from '../../workflows/volume-create.js';
import type { deleteVolume } from '../../workflows/volume-delete.js';
import type { VolumeWorkflowInput } from '../../workflows/volume-storage.js';
import { handleCommand } from '../handle-command.js';

const READ_YOUR_WRITES_TIMEOUT_MS = 5_000;
const TEMPORAL_CALL_TIMEOUT_MS = 10_000;

export interface VolumeServiceDependencies {
  events: EventStore;
  projections: ProjectionRunner;
  temporal: Client;
  taskQueue?: string;
}

interface Operation {
  workflow: 'createVolume' | 'deleteVolume';
  prefix: string;
  /** A delete that failed (error_deleting) may be asked for again; a create runs once. */
  reuse: 'ALLOW_DUPLICATE' | 'REJECT_DUPLICATE';
  failure(message: string): RecordedVolumeEvent;
}

const create: Operation = {
  workflow: 'createVolume',
  prefix: 'create-volume',
  reuse: 'REJECT_DUPLICATE',
  failure: (message) => ({ type: 'VolumeCreationFailed.v1', data: { message } }),
};
const remove: Operation = {
  workflow: 'deleteVolume',
  prefix: 'delete-volume',
  reuse: 'ALLOW_DUPLICATE',
  failure: (message) => ({ type: 'VolumeDeletionFailed.v1', data: { message } }),
};

export class VolumeService {
  constructor(private readonly deps: VolumeServiceDependencies) {}

  async create(request: VolumeRequest, metadata: EventMetadata): Promise<void> {
    const { position } = await handleCommand(this.deps.events, volumeDecider, volumeStream(request.volumeId), { kind: 'request', request }, { metadata });
    await this.run(create, { volumeId: request.volumeId, node: request.node }, request.projectId, position, metadata);
  }

  async delete(volumeId: string, metadata: EventMetadata): Promise<void> {
    const { state, position, recorded } = await handleCommand(this.deps.events, volumeDecider, volumeStream(volumeId), { kind: 'delete', requestedAt: metadata.timestamp }, { metadata });
    // A second DELETE while deleting records nothing and joins the running workflow.
    if (recorded.length === 0 || !state.request) return;
    await this.run(remove, { volumeId, node: state.request.node }, state.request.projectId, position, metadata);
  }

  private async run(operation: Operation, input: VolumeWorkflowInput, projectId: string, position: number, metadata: EventMetadata): Promise<void> {
    let waitFor = position;
    const workflowId = `${operation.prefix}-${input.volumeId}`;
    try {
      await this.deps.temporal.connection.withDeadline(Date.now() + TEMPORAL_CALL_TIMEOUT_MS, () =>
        this.deps.temporal.workflow.start<typeof createVolume | typeof deleteVolume>(operation.workflow, {
          taskQueue: this.deps.taskQueue ?? CONTROL_TASK_QUEUE,
          workflowId,
          workflowIdConflictPolicy: 'USE_EXISTING',
          workflowIdReusePolicy: operation.reuse,
          args: [input],
          typedSearchAttributes: [{ key: searchAttributes.project, value: projectId }],
        }),
      );
    } catch (error) {
      if (!(error instanceof WorkflowExecutionAlreadyStartedError)) {
        const message = `The ${operation.workflow} workflow could not be started: ${(error as Error).message}`.slice(0, 4096);
        ({ position: waitFor } = await handleCommand(this.deps.events, volumeDecider, volumeStream(input.volumeId), { kind: 'record', event: operation.failure(message) }, { metadata }));
      }
    }
    await this.deps.projections.waitFor(waitFor, READ_YOUR_WRITES_TIMEOUT_MS);
  }
}
