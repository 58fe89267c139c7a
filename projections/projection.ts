// What a projection is: tables in the read-model SQLite file, and an `evolve`-style
// handler that folds one recorded event into them. The runner owns transactions and
// checkpoints; a projection only says how one event changes its rows.
import type { Database } from 'better-sqlite3';
import type { RecordedEvent, SubscriptionFilter } from '../eventstore/port.js';

/** Physical name of each logical table: the live names, or fresh ones while a rebuild fills them. */
export type TableNames<Table extends string> = Readonly<Record<Table, string>>;

export interface ProjectionDefinition<Table extends string, Statements> {
  /** Unique in the read model; also the checkpoint's key. */
  name: string;
  /** Bump when `apply` or the tables change meaning: the next start rebuilds from position 0. */
  version: number;
  tables: readonly Table[];
  /** CREATE TABLE statements, keys included, for the given physical names. */
  createTables(names: TableNames<Table>): string;
  /**
   * Secondary indexes, for queries. A rebuild creates them after loading its rows (bulk
   * loads run faster without them, and their names must not clash with the live ones),
   * so `apply` must not need them to be fast.
   */
  createIndexes?(names: TableNames<Table>): string;
  /** Events this projection wants; the others pass it by. Default: all. */
  filter?: SubscriptionFilter;
  /** Prepares the statements `apply` runs, once per connection and set of table names. */
  prepare(db: Database, names: TableNames<Table>): Statements;
  /**
   * Folds one event into the tables. Runs inside the runner's transaction, at most once
   * per position; throwing stops this projection (the transaction's share rolls back).
   */
  apply(statements: Statements, event: RecordedEvent): void;
}

/** A projection with its statement type hidden, so projections of different shapes share one list. */
export interface Projection {
  readonly name: string;
  readonly version: number;
  readonly tables: readonly string[];
  readonly filter: SubscriptionFilter | undefined;
  createTables(names: TableNames<string>): string;
  createIndexes(names: TableNames<string>): string;
  /** Prepares the statements against `db` and returns the function that applies one event. */
  bind(db: Database, names: TableNames<string>): (event: RecordedEvent) => void;
}

const projectionName = /^[a-z][a-z0-9_]*$/;

export function defineProjection<Table extends string, Statements>(
  definition: ProjectionDefinition<Table, Statements>,
): Projection {
  if (!projectionName.test(definition.name)) {
    throw new TypeError(`projection name ${JSON.stringify(definition.name)}: lower-case letters, digits and "_" only`);
  }
  for (const table of definition.tables) {
    if (!projectionName.test(table)) {
      throw new TypeError(`table ${JSON.stringify(table)} in ${definition.name}: lower-case letters, digits and "_" only`);
    }
  }
  // The runner only ever hands back names it built from `tables`, so the casts hold.
  const narrow = (names: TableNames<string>) => names as TableNames<Table>;
  return {
    name: definition.name,
    version: definition.version,
    tables: definition.tables,
    filter: definition.filter,
    createTables: (names) => definition.createTables(narrow(names)),
    createIndexes: (names) => definition.createIndexes?.(narrow(names)) ?? '',
    bind(db, names) {
      const statements = definition.prepare(db, narrow(names));
      return (event) => definition.apply(statements, event);
    },
  };
}

/** The names queries and the live runner use. */
export function liveTableNames(projection: Projection): TableNames<string> {
  return Object.fromEntries(projection.tables.map((table) => [table, table]));
}

/** Where a rebuild loads its rows before they are swapped in. */
export function rebuildTableNames(projection: Projection): TableNames<string> {
  return Object.fromEntries(projection.tables.map((table) => [table, `${table}__rebuild`]));
}
