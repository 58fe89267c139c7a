// Inserting an append's event rows: several rows per INSERT statement, because each
// statement run crosses from JavaScript into SQLite, and that per-run overhead was a
// measurable share of a batched event's CPU. Parameters are positional: binding by name
// looks every name up on each run (~8% more CPU per batched event). Positions are given,
// not left to SQLite: a writer thread's rows must have theirs before they are stored.
import type { EventRow } from './queries.js';
import type { SqlValue, SqlWrites } from './sql-writes.js';

export type InsertRow = Omit<EventRow, 'prev_hash'> & { idKey: number; prevHash: string };

const COLUMNS = 'position, id, id_key, stream, revision, type, data, metadata, hash, prev_hash';
const PLACEHOLDERS = '(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)';
/** Rows per statement: 10 parameters each, far below SQLite's limit of 32,766. */
export const ROWS_PER_STATEMENT = 64;

/** The SQL of `insert` followed by `rowCount` copies of `row`, built once per row count. */
export function multiRowInserts(insert: string, row: string): (rowCount: number) => string {
  const statements = new Map<number, string>();
  return (rowCount) => {
    let sql = statements.get(rowCount);
    if (sql === undefined) {
      sql = `${insert} VALUES ${Array.from({ length: rowCount }, () => row).join(', ')}`;
      statements.set(rowCount, sql);
    }
    return sql;
  };
}

const insertSql = multiRowInserts(`INSERT INTO events (${COLUMNS})`, PLACEHOLDERS);

/** Inserts rows at their positions, at most ROWS_PER_STATEMENT per statement. */
export function insertRows(rows: readonly InsertRow[], writes: SqlWrites): void {
  for (let start = 0; start < rows.length; start += ROWS_PER_STATEMENT) {
    const count = Math.min(ROWS_PER_STATEMENT, rows.length - start);
    const values: SqlValue[] = [];
    for (let index = start; index < start + count; index += 1) {
      const row = rows[index]!;
      values.push(row.position, row.id, row.idKey, row.stream, row.revision, row.type, row.data, row.metadata, row.hash, row.prevHash);
    }
    writes.run(insertSql(count), values);
  }
}
