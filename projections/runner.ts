// Keeps a read model up to date: on start, rebuild what changed version and catch up by
// pages; then follow the log live, one transaction per batch holding every projection's
// rows and checkpoint. `waitFor` gives the API read-your-writes.
import type { EventStore, RecordedEvent, Subscription } from '../eventstore/port.js';
import { ProjectionHandlerError } from './apply-events.js';
import { inBatches } from './batches.js';
import { prepareCheckpoints } from './checkpoints.js';
import type { Checkpoints } from './checkpoints.js';
import { ProjectionLane } from './lane.js';
import type { LogRange, RangeOutcome } from './lane.js';
import type { Projection } from './projection.js';
import type { ReadModelDatabase } from './read-model.js';
import { rebuildProjection, REBUILD_PAGE_SIZE } from './rebuild.js';
import { ProjectionWaiters } from './waiters.js';

export interface ProjectionRunnerOptions {
  store: EventStore;
  /** The read model; the caller opens it (openReadModel) and closes it after stop(). */
  db: ReadModelDatabase;
  projections: readonly Projection[];
  log?: (line: string) => void;
  /** Events per catch-up page, one transaction each. */
  pageSize?: number;
  /** Most live events one transaction holds. */
  maxLiveBatch?: number;
}

/** A rebuild elsewhere can move a checkpoint back; if it keeps happening, something is wrong. */
const MAX_REWINDS_PER_CATCH_UP = 3;

export class ProjectionRunner {
  private readonly store: EventStore;
  private readonly db: ReadModelDatabase;
  private readonly log: (line: string) => void;
  private readonly pageSize: number;
  private readonly maxLiveBatch: number;
  private readonly checkpoints: Checkpoints;
  private readonly commitRange: (range: LogRange, lanes: readonly ProjectionLane[]) => RangeOutcome[];
  private readonly waiters: ProjectionWaiters;
  private lanes: ProjectionLane[] = [];
  private subscription: Subscription | undefined;
  private following: Promise<void> | undefined;

  constructor(private readonly options: ProjectionRunnerOptions) {
    this.store = options.store;
    this.db = options.db;
    this.log = options.log ?? ((line) => console.error(line));
    this.pageSize = options.pageSize ?? REBUILD_PAGE_SIZE;
    this.maxLiveBatch = options.maxLiveBatch ?? 1_000;
    const names = options.projections.map((projection) => projection.name);
    const repeated = names.find((name, index) => names.indexOf(name) !== index);
    if (repeated) throw new TypeError(`projection ${repeated} is registered twice`);
    this.checkpoints = prepareCheckpoints(this.db);
    this.commitRange = (range, lanes) =>
      this.db.transaction(() => lanes.map((lane) => lane.applyRange(range))).immediate();
    this.waiters = new ProjectionWaiters(() => this.lanes);
  }

  /** Resolves once every projection is built and caught up to the head; following continues in the background. */
  async start(): Promise<void> {
    if (this.following) throw new Error('projection runner already started');
    this.lanes = [];
    for (const projection of this.options.projections) this.lanes.push(await this.openLane(projection));
    await this.catchUp(this.lanes, await this.store.headPosition());
    const healthy = this.lanes.filter((lane) => lane.healthy);
    if (healthy.length === 0) {
      this.following = Promise.resolve();
      return;
    }
    const after = Math.min(...healthy.map((lane) => lane.position));
    const subscription = this.store.subscribeAll({ after });
    this.subscription = subscription;
    this.following = this.follow(subscription, after).catch((error: unknown) => {
      this.log(`projections: following the event log stopped: ${describe(error)}`);
      this.waiters.stopAll(error instanceof Error ? error : new Error(String(error)));
    });
  }

  async stop(): Promise<void> {
    await this.subscription?.close();
    await this.following;
    this.subscription = undefined;
    this.following = undefined;
    this.waiters.stopAll(new Error('projection runner stopped'));
  }

  /**
   * Resolves once every projection has processed the log up to `position` (read-your-writes:
   * append, wait for the append's position, then read). Rejects when a projection failed
   * before reaching it, or after `timeoutMs`.
   */
  waitFor(position: number, timeoutMs: number): Promise<void> {
    if (!this.following) return Promise.reject(new Error('projection runner is not running'));
    return this.waiters.waitFor(position, timeoutMs);
  }

  private async openLane(projection: Projection): Promise<ProjectionLane> {
    const checkpoint = this.checkpoints.get(projection.name);
    if (checkpoint && checkpoint.version === projection.version) {
      if (checkpoint.failure) {
        // A restart is the retry: the handler may have been fixed since.
        this.log(`projections: retrying ${projection.name}, stopped at position ${checkpoint.failedPosition}`);
        this.checkpoints.clearFailure(projection.name);
      }
      return new ProjectionLane(projection, this.db, this.checkpoints, { position: checkpoint.position });
    }
    const reason = checkpoint ? `version ${checkpoint.version} → ${projection.version}` : 'not built yet';
    this.log(`projections: rebuilding ${projection.name} (${reason})`);
    try {
      const result = await rebuildProjection(this.db, this.store, projection, this.pageSize);
      this.log(`projections: rebuilt ${projection.name}: ${result.eventsRead} events in ${result.seconds.toFixed(2)} s`);
      return new ProjectionLane(projection, this.db, this.checkpoints, { position: result.position });
    } catch (error) {
      if (!(error instanceof ProjectionHandlerError)) throw error;
      this.log(`projections: ${error.message}; rebuild abandoned, ${projection.name} stopped`);
      return new ProjectionLane(projection, this.db, this.checkpoints, { position: 0, failure: error });
    }
  }

  /** Brings `lanes` to at least `until` by reading the log in pages. */
  private async catchUp(lanes: readonly ProjectionLane[], until: number): Promise<void> {
    let rewinds = 0;
    for (;;) {
      const healthy = lanes.filter((lane) => lane.healthy && lane.position < until);
      if (healthy.length === 0) return;
      const after = Math.min(...healthy.map((lane) => lane.position));
      const events = await this.store.readAll({ after, maxCount: this.pageSize });
      const last = events.at(-1);
      // The log ends before `until` only if it was truncated under us; nothing more to read.
      if (!last) return;
      const behind = this.commit({ after, through: last.position, events }, healthy);
      if (behind.length > 0 && ++rewinds > MAX_REWINDS_PER_CATCH_UP) {
        this.stopLanes(behind, new Error('its checkpoint keeps moving back: is another process rebuilding it in a loop?'));
      }
    }
  }

  private async follow(subscription: Subscription, from: number): Promise<void> {
    let delivered = from;
    for await (const events of inBatches<RecordedEvent>(subscription, this.maxLiveBatch)) {
      const through = events.at(-1)?.position ?? delivered;
      const healthy = this.lanes.filter((lane) => lane.healthy);
      const behind = this.commit({ after: delivered, through, events }, healthy);
      if (behind.length > 0) await this.catchUp(behind, through);
      delivered = through;
    }
  }

  /** One transaction over `lanes`; returns the lanes that must first catch up to `range.after`. */
  private commit(range: LogRange, lanes: readonly ProjectionLane[]): ProjectionLane[] {
    const outcomes = this.commitRange(range, lanes);
    const behind: ProjectionLane[] = [];
    lanes.forEach((lane, index) => {
      const outcome = outcomes[index];
      if (!outcome) return;
      lane.adopt(outcome);
      if (outcome.kind === 'behind') behind.push(lane);
      if (outcome.kind === 'failed') this.log(`projections: ${outcome.error.message}; ${lane.projection.name} stopped`);
    });
    this.waiters.check();
    return behind;
  }

  private stopLanes(lanes: readonly ProjectionLane[], reason: Error): void {
    for (const lane of lanes) {
      lane.failure = reason;
      this.log(`projections: ${lane.projection.name} stopped: ${reason.message}`);
    }
    this.waiters.check();
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}
