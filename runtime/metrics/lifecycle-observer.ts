// Lifecycle metrics as the API process sees the event log, rather than instrumenting the
// workers (other processes, other machines): every event counts by stream category, and
// each instance operation is measured when its action ends, from the same derivation
// os-instance-actions shows (domain/compute/instance-actions.ts). The log is followed from
// position 0, so the totals are the cloud's whole history — the same in every API replica
// and across restarts. Image-cache use is inferred from RootDiskCreated: the first root
// disk from a base file on a host is a miss (the download), later ones hits; a base pruned
// and fetched again still counts as a hit (prunes record no event).
import { instanceActions, type ActionSourceEvent, type InstanceAction } from '../../domain/compute/instance-actions.js';
import type { EventStore, RecordedEvent } from '../../eventstore/port.js';
import type { StrataMetrics } from './registry.js';

const CATEGORIES = ['heartbeat-host', 'server-group', 'image-import', 'instance', 'image', 'volume', 'host', 'token', 'domain'];

/** `instance-<id>` → instance; a stream without an id (flavors) is its own category. */
export function streamCategory(stream: string): string {
  return CATEGORIES.find((category) => stream.startsWith(`${category}-`)) ?? (stream.includes('-') ? 'other' : stream);
}

/** The metric's operation name for an action: Nova's create is a launch, createImage a snapshot. */
const OPERATION_OF_ACTION: Readonly<Record<string, string>> = { create: 'launch', createImage: 'snapshot' };

interface InstanceHistory {
  events: ActionSourceEvent[];
  /** Indices of the actions already measured. */
  measured: Set<number>;
}

const seconds = (from: string, to: string) => Math.max(0, (Date.parse(to) - Date.parse(from)) / 1000);

export class LifecycleObserver {
  private readonly instances = new Map<string, InstanceHistory>();
  private readonly cachedBases = new Set<string>();

  constructor(private readonly metrics: StrataMetrics) {}

  observe(event: RecordedEvent): void {
    this.metrics.eventsRecorded.inc({ category: streamCategory(event.stream) });
    if (!event.stream.startsWith('instance-')) return;
    const history = this.instances.get(event.stream) ?? { events: [], measured: new Set<number>() };
    this.instances.set(event.stream, history);
    history.events.push(event);
    if (event.type === 'RootDiskCreated.v1') this.observeCacheUse(history.events, event);
    instanceActions(history.events).forEach((action, index) => {
      if (action.outcome === null || history.measured.has(index)) return;
      history.measured.add(index);
      this.measure(action);
    });
    // A deleted instance changes no more: its history need not be kept.
    if (event.type === 'InstanceDeleted.v1') this.instances.delete(event.stream);
  }

  private measure(action: InstanceAction): void {
    const operation = OPERATION_OF_ACTION[action.action] ?? action.action;
    const outcome = action.outcome ?? 'success';
    this.metrics.operations.inc({ operation, outcome });
    if (action.finishTime !== null) this.metrics.operationDuration.observe({ operation, outcome }, seconds(action.startTime, action.finishTime));
    for (const step of action.steps) {
      this.metrics.stepDuration.observe({ operation, step: step.event, result: step.result }, seconds(step.startTime, step.finishTime));
    }
  }

  private observeCacheUse(events: readonly ActionSourceEvent[], event: RecordedEvent): void {
    const data = event.data as { baseImage?: unknown };
    if (typeof data.baseImage !== 'string') return;
    const hostOf = (candidate: ActionSourceEvent) => (candidate.data as { host?: unknown }).host;
    const host = events.map(hostOf).findLast((value): value is string => typeof value === 'string') ?? 'unknown';
    const key = `${host}\u0000${data.baseImage}`;
    if (this.cachedBases.has(key)) {
      this.metrics.imageCacheRequests.inc({ host, result: 'hit' });
      return;
    }
    this.cachedBases.add(key);
    this.metrics.imageCacheRequests.inc({ host, result: 'miss' });
    const sizeOf = (candidate: ActionSourceEvent) => (candidate.data as { image?: { size?: unknown } }).image?.size;
    const size = events.map(sizeOf).findLast((value): value is number => typeof value === 'number');
    if (size !== undefined) this.metrics.imageCacheMissBytes.inc({ host }, size);
  }
}

/** Follows the log from its start in the background; `stop` ends the subscription. */
export function followLifecycle(store: EventStore, metrics: StrataMetrics, log: (line: string) => void = console.error): { stop(): Promise<void> } {
  const observer = new LifecycleObserver(metrics);
  const subscription = store.subscribeAll({ after: 0 });
  const following = (async () => {
    for await (const event of subscription) observer.observe(event);
  })().catch((error: unknown) => log(`metrics: following the event log stopped: ${error instanceof Error ? error.message : String(error)}`));
  return {
    async stop() {
      await subscription.close();
      await following;
    },
  };
}
