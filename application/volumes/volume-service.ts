// Creating and deleting volumes: the command is recorded on `volume-<id>` first (the
// volume exists, creating or deleting, from then on), then its workflow is started on the
// business id, so a retried call never runs two. If the start fails and no workflow runs,
// the failure is recorded on the volume instead of leaving it creating (or deleting) forever.
import type { Client } from '@temporalio/client';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import type { VolumeAttachment, VolumeRequest } from '../../domain/volume/events.js';
import { volumeStream } from '../../domain/volume/events.js';
import type { RecordedVolumeEvent, VolumeState } from '../../domain/volume/volume.js';
import { volumeDecider } from '../../domain/volume/volume.js';
import type { EventMetadata, EventStore } from '../../eventstore/port.js';
import type { ProjectionRunner } from '../../projections/runner.js';
import { searchAttributes } from '../../workflows/search-attributes.js';
import { CONTROL_TASK_QUEUE } from '../../workflows/task-queues.js';
import type { attachVolume, VolumeAttachmentInput } from '../../workflows/volume-attach.js';
import type { createVolume } from '../../workflows/volume-create.js';
import type { deleteVolume } from '../../workflows/volume-delete.js';
import type { detachVolume } from '../../workflows/volume-detach.js';
import type { VolumeWorkflowInput } from '../../workflows/volume-storage.js';
import { handleCommand } from '../handle-command.js';
import { READ_YOUR_WRITES_TIMEOUT_MS, TEMPORAL_CALL_TIMEOUT_MS } from '../timeouts.js';

export interface VolumeServiceDependencies {
  events: EventStore;
  projections: ProjectionRunner;
  temporal: Client;
  taskQueue?: string;
}

type Input = VolumeWorkflowInput | VolumeAttachmentInput;

interface Operation {
  workflow: 'createVolume' | 'deleteVolume' | 'attachVolume' | 'detachVolume';
  prefix: string;
  /** A delete that failed (error_deleting) may be asked for again, a volume attached again; a create runs once. */
  reuse: 'ALLOW_DUPLICATE' | 'REJECT_DUPLICATE';
  failure(message: string, input: Input): RecordedVolumeEvent;
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
const attach: Operation = {
  workflow: 'attachVolume',
  prefix: 'attach',
  reuse: 'ALLOW_DUPLICATE',
  failure: (_message, input) => ({ type: 'VolumeAttachAborted.v1', data: { attachmentId: (input as VolumeAttachmentInput).attachmentId } }),
};
const detach: Operation = {
  workflow: 'detachVolume',
  prefix: 'detach',
  reuse: 'ALLOW_DUPLICATE',
  failure: (message, input) => ({ type: 'VolumeDetachAborted.v1', data: { attachmentId: (input as VolumeAttachmentInput).attachmentId, message } }),
};

/** The instance side of an attachment: what the workflows need beyond the volume. */
export interface AttachTarget {
  instanceId: string;
  host: string;
  device: string;
}

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

  /** Reserves the volume for the instance (attaching) and starts `attach-<volumeId>`. */
  async attach(volumeId: string, target: AttachTarget, metadata: EventMetadata): Promise<VolumeAttachment> {
    const attachment: VolumeAttachment = { attachmentId: crypto.randomUUID(), ...target };
    const { state, position } = await handleCommand(this.deps.events, volumeDecider, volumeStream(volumeId), { kind: 'attach', attachment }, { metadata });
    const request = state.request as VolumeRequest;
    await this.run(attach, { volumeId, node: request.node, ...attachment }, request.projectId, position, metadata);
    return attachment;
  }

  /** Marks the instance's attachment detaching and starts `detach-<volumeId>`; a detach already running is joined. */
  async detach(volumeId: string, instanceId: string, metadata: EventMetadata): Promise<void> {
    const { state, position, recorded } = await handleCommand(this.deps.events, volumeDecider, volumeStream(volumeId), { kind: 'detach', instanceId }, { metadata });
    const attachment = state.attachments.find((known) => known.instanceId === instanceId);
    if (recorded.length === 0 || !state.request || !attachment) return;
    const { attached: _attached, ...fields } = attachment;
    await this.run(detach, { volumeId, node: state.request.node, ...fields }, state.request.projectId, position, metadata);
  }

  /**
   * Starts (or joins) the workflows of volumes still creating or deleting: the API may have
   * died between recording the request and starting its workflow. A start that fails is
   * only logged (the workflow may well be running) and the next restart tries again.
   */
  async resume(pending: readonly { id: string; state: VolumeState }[], log: (line: string) => void): Promise<void> {
    for (const { id, state } of pending) {
      if (!state.request || (state.status !== 'creating' && state.status !== 'deleting')) continue;
      try {
        await this.start(state.status === 'creating' ? create : remove, { volumeId: id, node: state.request.node }, state.request.projectId);
      } catch (error) {
        if (error instanceof WorkflowExecutionAlreadyStartedError) continue;
        // Temporal is away: the next restart resumes the rest.
        log(`could not resume volume ${id} (${state.status}): ${(error as Error).message}`);
        return;
      }
    }
  }

  private async start(operation: Operation, input: Input, projectId: string): Promise<void> {
    const workflowId = `${operation.prefix}-${input.volumeId}`;
    await this.deps.temporal.connection.withDeadline(Date.now() + TEMPORAL_CALL_TIMEOUT_MS, () =>
      this.deps.temporal.workflow.start<typeof createVolume | typeof deleteVolume | typeof attachVolume | typeof detachVolume>(operation.workflow, {
        taskQueue: this.deps.taskQueue ?? CONTROL_TASK_QUEUE,
        workflowId,
        workflowIdConflictPolicy: 'USE_EXISTING',
        workflowIdReusePolicy: operation.reuse,
        args: [input as VolumeAttachmentInput],
        typedSearchAttributes: [{ key: searchAttributes.project, value: projectId }],
      }),
    );
  }

  private async run(operation: Operation, input: Input, projectId: string, position: number, metadata: EventMetadata): Promise<void> {
    let waitFor = position;
    try {
      await this.start(operation, input, projectId);
    } catch (error) {
      if (!(error instanceof WorkflowExecutionAlreadyStartedError)) {
        const message = `The ${operation.workflow} workflow could not be started: ${(error as Error).message}`.slice(0, 4096);
        ({ position: waitFor } = await handleCommand(this.deps.events, volumeDecider, volumeStream(input.volumeId), { kind: 'record', event: operation.failure(message, input) }, { metadata }));
      }
    }
    await this.deps.projections.waitFor(waitFor, READ_YOUR_WRITES_TIMEOUT_MS);
  }
}
