// "Nothing changed", as an auditor would check it: the event log's head position and every
// row of every read-model table (checkpoints included).
import type { ApiContext } from '../../../api/context.js';

export interface StateSnapshot {
  head: number;
  readModel: Record<string, unknown[]>;
}

export async function snapshotState(context: ApiContext): Promise<StateSnapshot> {
  const tables = context.readModel.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").pluck().all() as string[];
  const readModel = Object.fromEntries(tables.map((table) => [table, context.readModel.prepare(`SELECT * FROM "${table}" ORDER BY rowid`).all()]));
  return { head: await context.events.headPosition(), readModel };
}
