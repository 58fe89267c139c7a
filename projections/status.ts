// Where each projection stands against the log: what `strata projections status` shows.
import type { EventStore } from '../eventstore/port.js';
import { prepareCheckpoints } from './checkpoints.js';
import type { Projection } from './projection.js';
import type { ReadModelDatabase } from './read-model.js';

export type ProjectionState = 'current' | 'behind' | 'failed' | 'not built' | 'rebuild due';

export interface ProjectionStatus {
  name: string;
  state: ProjectionState;
  /** Version in this build's code. */
  version: number;
  /** Version the stored tables were built with; null when never built. */
  builtVersion: number | null;
  checkpoint: number | null;
  head: number;
  /** Log positions between the checkpoint and the head. */
  lag: number | null;
  failure: string | null;
}

export async function projectionStatus(
  db: ReadModelDatabase,
  store: EventStore,
  projections: readonly Projection[],
): Promise<ProjectionStatus[]> {
  const head = await store.headPosition();
  const checkpoints = prepareCheckpoints(db);
  return projections.map((projection) => {
    const checkpoint = checkpoints.get(projection.name);
    const base = { name: projection.name, version: projection.version, head };
    if (!checkpoint) {
      return { ...base, state: 'not built', builtVersion: null, checkpoint: null, lag: null, failure: null };
    }
    const lag = Math.max(0, head - checkpoint.position);
    return {
      ...base,
      state: stateOf(projection.version, checkpoint.version, checkpoint.failure, lag),
      builtVersion: checkpoint.version,
      checkpoint: checkpoint.position,
      lag,
      failure: checkpoint.failure,
    };
  });
}

function stateOf(version: number, builtVersion: number, failure: string | null, lag: number): ProjectionState {
  if (failure) return 'failed';
  if (builtVersion !== version) return 'rebuild due';
  return lag === 0 ? 'current' : 'behind';
}
