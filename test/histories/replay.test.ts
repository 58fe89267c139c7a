// Every saved history (test/histories/*.pb) replays against the workflow code as it is now,
// so a change that would break running workflows fails here (guard it with `patched()`);
// and every workflow type the control worker runs has a saved history, except the ones
// listed below as not yet recorded — a new workflow type without one fails this test.
import { execa } from 'execa';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import * as workflows from '../../workflows/index.js';

const REPLAY_ALL = fileURLToPath(new URL('./replay-all.ts', import.meta.url));

interface Replayed {
  file: string;
  workflowType: string;
  error: string | null;
}

describe('saved workflow histories', () => {
  it('replay against the current workflow code, and cover every workflow type', { timeout: 120_000 }, async () => {
    const run = await execa('node', ['--import', 'tsx', REPLAY_ALL], { reject: false });
    expect(run.exitCode, run.stderr).toBe(0);
    const replayed = run.stdout
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Replayed);
    expect(replayed.length).toBeGreaterThan(0);
    expect(replayed.filter((result) => result.error !== null)).toEqual([]);

    const types = Object.entries(workflows)
      .filter(([, value]) => typeof value === 'function')
      .map(([name]) => name);
    const recorded = new Set(replayed.map((result) => result.workflowType));
    const unrecorded = types.filter((type) => !recorded.has(type));
    expect(unrecorded, 'workflow types without a saved history in test/histories').toEqual([]);
  });
});
