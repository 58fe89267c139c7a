// One projection's share of the runner's work on its live tables: apply a range of the
// log and advance the checkpoint, idempotently by position, inside the runner's transaction.
import type { RecordedEvent } from '../eventstore/port.js';
import { applyEvents, ProjectionHandlerError } from './apply-events.js';
import type { Checkpoints } from './checkpoints.js';
import { liveTableNames } from './projection.js';
import type { Projection } from './projection.js';
import type { ReadModelDatabase } from './read-model.js';

/** A contiguous stretch of the log: every event with `after < position <= through`. */
export interface LogRange {
  after: number;
  through: number;
  events: readonly RecordedEvent[];
}

export type RangeOutcome =
  | { kind: 'applied'; position: number }
  /** The stored checkpoint is behind the range (a rebuild elsewhere swapped in older tables): read the gap first. */
  | { kind: 'behind'; position: number }
  | { kind: 'failed'; error: ProjectionHandlerError };

export class ProjectionLane {
  /** Where this lane stands, as of the last committed transaction. */
  position: number;
  failure: Error | null;
  private applyInSavepoint: ((range: LogRange, skipThrough: number) => void) | undefined;

  constructor(
    readonly projection: Projection,
    private readonly db: ReadModelDatabase,
    private readonly checkpoints: Checkpoints,
    start: { position: number; failure?: Error },
  ) {
    this.position = start.position;
    this.failure = start.failure ?? null;
  }

  get healthy(): boolean {
    return this.failure === null;
  }

  /** Runs inside a transaction; the runner adopts the outcome once that commits. */
  applyRange(range: LogRange): RangeOutcome {
    const name = this.projection.name;
    const stored = this.checkpoints.get(name)?.position ?? 0;
    if (stored < range.after) return { kind: 'behind', position: stored };
    if (range.through <= stored) return { kind: 'applied', position: stored };
    try {
      this.statements()(range, stored);
      return { kind: 'applied', position: range.through };
    } catch (error) {
      if (!(error instanceof ProjectionHandlerError)) throw error;
      this.checkpoints.markFailed(name, error.event.position, error.message);
      return { kind: 'failed', error };
    }
  }

  /** Prepared on first use: a lane that failed while being built has no tables to prepare against. */
  private statements(): (range: LogRange, skipThrough: number) => void {
    if (this.applyInSavepoint) return this.applyInSavepoint;
    const { projection, checkpoints } = this;
    const apply = projection.bind(this.db, liveTableNames(projection));
    // Nested in the runner's transaction this is a SAVEPOINT: a failing handler undoes
    // only this projection's share, and the others' rows still commit.
    this.applyInSavepoint = this.db.transaction((range: LogRange, skipThrough: number) => {
      applyEvents(projection, apply, range.events, skipThrough);
      checkpoints.advance(projection.name, range.through);
    });
    return this.applyInSavepoint;
  }

  /** Takes on the outcome of a committed transaction. */
  adopt(outcome: RangeOutcome): void {
    if (outcome.kind === 'failed') this.failure = outcome.error;
    else this.position = outcome.position;
  }
}
