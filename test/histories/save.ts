// Saved workflow histories live in this folder, one file per scenario, named
// `<workflowType>--<scenario>.pb` (binary protobuf). A test that ran a workflow hands its
// history here; with STRATA_SAVE_HISTORIES=1 it becomes the saved one (only after a
// deliberate change guarded by `patched()`: the old file is what running workflows have).
import { Client, Connection, type WorkflowExecutionInfo } from '@temporalio/client';
import proto from '@temporalio/proto';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const HISTORIES_DIR = fileURLToPath(new URL('.', import.meta.url));

export function savedHistoryPath(workflowType: string, scenario: string): string {
  return `${HISTORIES_DIR}${workflowType}--${scenario}.pb`;
}

/** Writes the run as the saved history when STRATA_SAVE_HISTORIES=1; returns the file it names either way. */
export function saveHistory(workflowType: string, scenario: string, history: proto.temporal.api.history.v1.IHistory): string {
  const file = savedHistoryPath(workflowType, scenario);
  if (process.env.STRATA_SAVE_HISTORIES === '1') writeFileSync(file, proto.temporal.api.history.v1.History.encode(history).finish());
  return file;
}

/**
 * Hands the newest finished run of each workflow type on the Temporal at `address` to
 * saveHistory, after `inspect` saw every run; returns the types it found.
 */
export async function saveOneRunPerType(address: string, scenario: string, inspect: (run: WorkflowExecutionInfo) => void = () => undefined): Promise<Set<string>> {
  const connection = await Connection.connect({ address });
  try {
    const client = new Client({ connection });
    const types = new Set<string>();
    for await (const run of client.workflow.list({ query: 'ExecutionStatus != "Running"' })) {
      inspect(run);
      if (types.has(run.type)) continue;
      types.add(run.type);
      saveHistory(run.type, scenario, await client.workflow.getHandle(run.workflowId, run.runId).fetchHistory());
    }
    return types;
  } finally {
    await connection.close();
  }
}
