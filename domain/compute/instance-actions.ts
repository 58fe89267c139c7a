// Nova's instance actions (os-instance-actions), derived from an instance's own event
// stream: each request that changed the instance (create, delete, createImage, retry,
// attach or detach of a volume, reset of its state) is one action with who asked, when it
// started and finished, and whether it failed; the workflow steps that carried it out are
// its events. Steps are attributed by the workflow that recorded them (`launch-<id>`,
// `delete-<id>`, a snapshot's own id), so a launch's compensation that lands after a
// delete began still counts for the create. Pure, so every reader derives the same history.

/** The parts of a recorded event the derivation reads (structurally a RecordedEvent). */
export interface ActionSourceEvent {
  id: string;
  type: string;
  data: unknown;
  metadata: {
    actor: { userId: string; projectId: string | null } | null;
    requestId: string | null;
    workflowId: string | null;
    activity: string | null;
    timestamp: string;
  };
}

export interface InstanceActionStep {
  /** strata's step name: the activity that recorded it (`scheduleInstance`, `createRootDisk`, …) or the failed step. */
  event: string;
  startTime: string;
  finishTime: string;
  result: 'Success' | 'Error';
  host: string | null;
  /** Why a failed step failed; null for a success. */
  details: string | null;
}

export interface InstanceAction {
  /** Nova's action names: create, delete, createImage, attach_volume, detach_volume; strata adds retry and reset_state. */
  action: string;
  requestId: string;
  userId: string | null;
  projectId: string | null;
  startTime: string;
  /** Null while the action runs. */
  finishTime: string | null;
  updatedAt: string;
  /** Nova's message: 'Error' when the action failed, else null. */
  message: string | null;
  /** How it ended: null while it runs; cancelled when the instance was deleted before it finished. */
  outcome: 'success' | 'error' | 'cancelled' | null;
  steps: InstanceActionStep[];
}

interface Starter {
  action: string;
  /** The workflow whose steps belong to this action; null for an action that is over when recorded. */
  workflowId(instanceId: string, data: Record<string, unknown>): string | null;
}

/** The events that start an action. A new operation adds its starting event here. */
const STARTERS: Readonly<Record<string, Starter>> = {
  'InstanceRequested.v1': { action: 'create', workflowId: (id) => `launch-${id}` },
  // A retry resumes the launch workflow: its steps are the retry's from then on.
  'InstanceRetryRequested.v1': { action: 'retry', workflowId: (id) => `launch-${id}` },
  'InstanceDeleting.v1': { action: 'delete', workflowId: (id) => `delete-${id}` },
  'InstanceSnapshotStarted.v1': { action: 'createImage', workflowId: (_id, data) => text(data.workflowId, '') || null },
  'InstanceVolumeAttached.v1': { action: 'attach_volume', workflowId: () => null },
  'InstanceVolumeDetached.v1': { action: 'detach_volume', workflowId: () => null },
  'InstanceStateReset.v1': { action: 'reset_state', workflowId: () => null },
};

interface Outcome {
  /** Null for success, else why it failed. */
  error: string | null;
  /** The step that failed, when the event names it. */
  step?: string;
}

/** The events that end their action, and how it ended. */
const FINISHERS: Readonly<Record<string, (data: Record<string, unknown>) => Outcome>> = {
  'InstanceBooted.v1': () => ({ error: null }),
  'InstanceLaunchFailed.v1': (data) => ({ error: text(data.message, 'launch failed'), step: text(data.step, 'launch') }),
  'InstanceDeleted.v1': () => ({ error: null }),
  'InstanceSnapshotEnded.v1': (data) => (data.outcome === 'failed' ? { error: text(data.reason, 'snapshot failed') } : { error: null }),
};

interface OpenAction extends InstanceAction {
  workflowId: string | null;
  /** When the last step of this action finished: where its next step starts. */
  lastTime: string;
}

function record(data: unknown): Record<string, unknown> {
  return typeof data === 'object' && data !== null ? (data as Record<string, unknown>) : {};
}

function text(value: unknown, fallback: string): string {
  return typeof value === 'string' ? value : fallback;
}

function stripVersion(type: string): string {
  return type.replace(/\.v\d+$/, '');
}

/** The instance's actions, oldest first, from its stream in revision order. */
export function instanceActions(events: readonly ActionSourceEvent[]): InstanceAction[] {
  const actions: OpenAction[] = [];
  const instanceId = text(record(events[0]?.data).instanceId, '');
  let host: string | null = null;
  for (const event of events) {
    const data = record(event.data);
    const { metadata } = event;
    if (typeof data.host === 'string') host = data.host;
    const starter = STARTERS[event.type];
    if (starter) {
      const immediate = starter.workflowId(instanceId, data) === null;
      actions.push({
        action: starter.action,
        // Nova's request ids are `req-<uuid>`; an event recorded outside a request gets one from its own id.
        requestId: metadata.requestId ?? `req-${event.id}`,
        userId: metadata.actor?.userId ?? null,
        projectId: metadata.actor?.projectId ?? null,
        startTime: metadata.timestamp,
        finishTime: immediate ? metadata.timestamp : null,
        updatedAt: metadata.timestamp,
        message: null,
        outcome: immediate ? 'success' : null,
        steps: [],
        workflowId: starter.workflowId(instanceId, data),
        lastTime: metadata.timestamp,
      });
      continue;
    }
    const owner = ownerOf(actions, event);
    if (!owner) continue;
    const finisher = FINISHERS[event.type];
    const outcome = finisher ? finisher(data) : { error: null };
    const name = outcome.step ?? metadata.activity ?? stripVersion(event.type);
    const previous = owner.steps.at(-1);
    // One step may record several events (startVm: spawning, then started): one step event.
    if (previous && previous.event === name && previous.result === 'Success' && outcome.error === null && previous.host === host) {
      previous.finishTime = metadata.timestamp;
    } else {
      owner.steps.push({ event: name, startTime: owner.lastTime, finishTime: metadata.timestamp, result: outcome.error === null ? 'Success' : 'Error', host, details: outcome.error });
    }
    owner.lastTime = metadata.timestamp;
    owner.updatedAt = metadata.timestamp;
    if (finisher) {
      owner.finishTime = metadata.timestamp;
      owner.message = outcome.error === null ? null : 'Error';
      owner.outcome = outcome.error === null ? 'success' : 'error';
    }
    // Nothing more happens to a deleted instance: whatever was still running ended with it.
    if (event.type === 'InstanceDeleted.v1') {
      for (const action of actions.filter((candidate) => candidate.finishTime === null)) {
        action.finishTime = metadata.timestamp;
        action.outcome = 'cancelled';
      }
    }
  }
  return actions.map(({ workflowId: _workflowId, lastTime: _lastTime, ...action }) => action);
}

/** The newest action the event's workflow (or else request) belongs to; else the newest action. */
function ownerOf(actions: OpenAction[], event: ActionSourceEvent): OpenAction | undefined {
  const { workflowId, requestId } = event.metadata;
  const newestFirst = [...actions].reverse();
  if (workflowId !== null) {
    const byWorkflow = newestFirst.find((action) => action.workflowId === workflowId);
    if (byWorkflow) return byWorkflow;
  }
  if (requestId !== null) {
    const byRequest = newestFirst.find((action) => action.requestId === requestId);
    if (byRequest) return byRequest;
  }
  return newestFirst[0];
}
