// Replays every saved history in this folder against the current workflow code, in a plain
// Node process (vitest loads the protobuf classes twice, which Temporal's decoding trips
// on), with one workflow bundle for all of them. Prints one JSON line per history
// ({ file, workflowType, error }) and exits 0; the test (replay.test.ts) judges them.
import proto from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { workflowsPath } from '../../workers/control.js';
import { HISTORIES_DIR } from './save.js';

const History = proto.temporal.api.history.v1.History;

function* saved(dir: string) {
  for (const file of readdirSync(dir).filter((name) => name.endsWith('.pb')).sort()) {
    yield { workflowId: file, history: History.decode(readFileSync(join(dir, file))) };
  }
}

async function run(): Promise<void> {
  const dir = process.argv[2] ?? HISTORIES_DIR;
  const types = new Map<string, string>();
  for (const { workflowId, history } of saved(dir)) {
    types.set(workflowId, history.events[0]?.workflowExecutionStartedEventAttributes?.workflowType?.name ?? 'unknown');
  }
  for await (const result of Worker.runReplayHistories({ workflowsPath, replayName: 'saved-histories' }, saved(dir))) {
    const error = result.error ? `${result.error.name}: ${result.error.message}` : null;
    console.log(JSON.stringify({ file: result.workflowId, workflowType: types.get(result.workflowId), error }));
  }
}

run().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
