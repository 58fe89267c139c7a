// `strata workflow replay <workflowId> [--run-id R]`: fetches a run's history from Temporal
// and replays it against the workflow code as it is now (the bundle the control worker
// would run). "ok" means a worker running this code can resume that run; otherwise the
// non-determinism is printed: the change needs a `patched()` guard before it ships.
import { DeterminismViolationError } from '@temporalio/workflow';
import { Worker } from '@temporalio/worker';
import { parseArgs } from 'node:util';
import { workflowsPath } from '../../workers/control.js';
import { withTemporalClient } from '../../workers/temporal-connection.js';
import type { CliCommand } from '../command.js';

const usage = `usage: strata workflow replay <workflowId> [--run-id R]

Replays the run's history (the latest run unless --run-id) against the current workflow
code. Exit 0 and "ok" when it replays; exit 1 with the non-determinism otherwise.`;

export const workflowCommand: CliCommand = {
  name: 'workflow',
  summary: "replay a workflow's history against the current code",
  usage,
  async run(args, { config }) {
    const { positionals, values } = parseArgs({ args, options: { 'run-id': { type: 'string' } }, allowPositionals: true });
    const [action, workflowId, ...extra] = positionals;
    if (action !== 'replay' || !workflowId || extra.length > 0) {
      console.error(usage);
      return 2;
    }
    const history = await withTemporalClient(config, (client) => client.workflow.getHandle(workflowId, values['run-id']).fetchHistory());
    try {
      await Worker.runReplayHistory({ workflowsPath, replayName: workflowId }, history);
    } catch (error) {
      const kind = error instanceof DeterminismViolationError ? 'non-determinism' : 'replay failed';
      console.error(`${workflowId}: ${kind}: ${error instanceof Error ? error.message : String(error)}`);
      return 1;
    }
    console.log(`${workflowId}: ok (${history.events?.length ?? 0} events replayed)`);
    return 0;
  },
};
