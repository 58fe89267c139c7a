// Replays one saved history (binary protobuf) against one workflow module, in a plain Node
// process (see test/histories/replay-all.ts for why). Exit 0 when it replays; exit 1 with
// the error's name and message on stderr otherwise.
import proto from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { readFileSync } from 'node:fs';

async function run(): Promise<void> {
  const [historyFile, workflowsPath] = process.argv.slice(2);
  if (!historyFile || !workflowsPath) throw new Error('usage: replay-variant.ts <history.pb> <workflows module>');
  await Worker.runReplayHistory({ workflowsPath }, proto.temporal.api.history.v1.History.decode(readFileSync(historyFile)));
}

run().catch((error: unknown) => {
  console.error(error instanceof Error ? `${error.name}: ${error.message}` : String(error));
  process.exit(1);
});
