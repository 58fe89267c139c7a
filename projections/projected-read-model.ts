// A read model brought up to the head of the log and kept current: what every process
// that reads projections opens (the API, the scheduler's host view).
import type { EventStore } from '../eventstore/port.js';
import type { Projection } from './projection.js';
import { openReadModel, type ReadModelDatabase } from './read-model.js';
import { ProjectionRunner } from './runner.js';

export interface ProjectedReadModel {
  db: ReadModelDatabase;
  runner: ProjectionRunner;
  /** Stops following the log and closes the read model (the store stays open). */
  close(): Promise<void>;
}

/** Opens the read model at `path` (`:memory:` for a private one) and catches it up. */
export async function openProjectedReadModel(store: EventStore, path: string, projections: readonly Projection[]): Promise<ProjectedReadModel> {
  const db = openReadModel(path);
  const runner = new ProjectionRunner({ store, db, projections });
  try {
    await runner.start();
  } catch (error) {
    db.close();
    throw error;
  }
  return {
    db,
    runner,
    async close() {
      await runner.stop();
      db.close();
    },
  };
}
