// Where a write transaction's statements go. A flush of a few events runs them on the
// store's own connection at once; a large one sends them, in order, to a writer thread
// (writer-thread.ts), which runs them while this thread builds the next rows. Both paths
// run the same SQL, so which one wrote an event changes nothing about how it is stored.
import type { EventDatabase } from './database.js';

export type SqlValue = string | number | null;

export interface SqlWrites {
  /** Runs one statement: now, or after every statement sent before it. */
  run(sql: string, params?: readonly SqlValue[]): void;
}

/** Runs each statement at once on `db`; each SQL text is prepared the first time it runs. */
export function connectionWrites(db: EventDatabase): SqlWrites {
  const statements = new Map<string, ReturnType<EventDatabase['prepare']>>();
  return {
    run(sql, params = []) {
      let statement = statements.get(sql);
      if (!statement) {
        statement = db.prepare(sql);
        statements.set(sql, statement);
      }
      statement.run(params);
    },
  };
}
