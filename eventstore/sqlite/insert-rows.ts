// Inserting an append's event rows: several rows per INSERT statement, because each
// statement run crosses from JavaScript into SQLite, and that per-run overhead was a
// measurable share of a batched event's CPU. Parameters are positional: binding by name
// looks every name up on each run (~8% more CPU per batched event).
import type { EventDatabase } from './database.js';
import type { EventRow } from './queries.js';

export type InsertRow = Omit<EventRow, 'position' | 'prev_hash'> & { idKey: number; prevHash: string };

const COLUMNS = 'id, id_key, stream, revision, type, data, metadata, hash, prev_hash';
const PLACEHOLDERS = '(?, ?, ?, ?, ?, ?, ?, ?, ?)';
/** Rows per statement: 9 parameters each, far below SQLite's limit of 32,766. */
export const ROWS_PER_STATEMENT = 64;

/**
 * `insert` followed by `rowCount` copies of `row`: one statement per row count, prepared
 * the first time a chunk of that size appears.
 */
export function multiRowInserts(db: EventDatabase, insert: string, row: string) {
  const statements = new Map<number, ReturnType<EventDatabase['prepare']>>();
  return (rowCount: number) => {
    let statement = statements.get(rowCount);
    if (!statement) {
      statement = db.prepare(`${insert} VALUES ${Array.from({ length: rowCount }, () => row).join(', ')}`);
      statements.set(rowCount, statement);
    }
    return statement;
  };
}

export function prepareRowInserts(db: EventDatabase) {
  const statementFor = multiRowInserts(db, `INSERT INTO events (${COLUMNS})`, PLACEHOLDERS);

  return function insertRows(rows: readonly InsertRow[]): number[] {
    const positions: number[] = [];
    for (let start = 0; start < rows.length; start += ROWS_PER_STATEMENT) {
      const count = Math.min(ROWS_PER_STATEMENT, rows.length - start);
      const values: (string | number)[] = [];
      for (let index = start; index < start + count; index += 1) {
        const row = rows[index]!;
        values.push(row.id, row.idKey, row.stream, row.revision, row.type, row.data, row.metadata, row.hash, row.prevHash);
      }
      // The rows of one INSERT take consecutive positions: each new position is one past
      // the largest, and the write transaction keeps every other writer out.
      const last = Number(statementFor(count).run(values).lastInsertRowid);
      for (let position = last - count + 1; position <= last; position += 1) positions.push(position);
    }
    return positions;
  };
}
