// `strata projections status|rebuild` over a real event log and read model in a temp dir.
// (Runs the command's `run` in-process: cli/registry.ts does not list it yet.)
import { afterEach, beforeEach, expect, it } from 'vitest';
import { projectionsCommand } from '../../cli/commands/projections.js';
import { historyOf } from '../../projections/audit.js';
import { counterEvent } from './fixtures/counters.js';
import { runCommand } from './fixtures/cli.js';
import { createWorkspace } from './fixtures/workspace.js';
import type { Workspace } from './fixtures/workspace.js';

let workspace: Workspace;
beforeEach(async () => {
  workspace = createWorkspace();
  const store = workspace.openStore();
  await store.append('instance-1', [counterEvent(1), counterEvent(2), counterEvent(3)], { expected: 'no_stream' });
  await store.close();
});
afterEach(async () => {
  await workspace.dispose();
});

/** The cells of one projection's row (other projections may share the read model). */
function columnsOf(table: string, projection: string): string[] | undefined {
  return table
    .split('\n')
    .find((line) => line.startsWith(`${projection} `))
    ?.split(/ {2,}/);
}

it('shows a projection as not built, rebuilds it, then shows it current', async () => {
  const before = await runCommand(projectionsCommand, ['status'], workspace.dir);
  expect(before.code).toBe(0);
  const header = before.stdout.split('\n')[0];
  expect(header).toMatch(/^projection +state +version +checkpoint +head +lag$/);
  expect(columnsOf(before.stdout, 'audit')).toEqual(['audit', 'not built', '1', '-', '3', '-']);

  const rebuild = await runCommand(projectionsCommand, ['rebuild', 'audit'], workspace.dir);
  expect(rebuild.code).toBe(0);
  expect(rebuild.stdout).toMatch(/rebuilt audit v1: 3 events read, 3 applied, in [\d.]+ s \(\d+ events\/s\); checkpoint 3/);
  expect(historyOf(workspace.openReadModel(), 'instance-1').map((entry) => entry.revision)).toEqual([0, 1, 2]);

  const store = workspace.openStore();
  await store.append('instance-1', [counterEvent(4)], { expected: 2 });
  const after = await runCommand(projectionsCommand, ['status'], workspace.dir);
  expect(columnsOf(after.stdout, 'audit')).toEqual(['audit', 'behind', '1', '3', '4', '1']);
});

it('refuses unknown projections and actions with exit 2', async () => {
  const unknown = await runCommand(projectionsCommand, ['rebuild', 'nope'], workspace.dir);
  expect(unknown.code).toBe(2);
  expect(unknown.stderr).toContain('no projection named nope');
  expect((await runCommand(projectionsCommand, ['frobnicate'], workspace.dir)).code).toBe(2);
  expect((await runCommand(projectionsCommand, [], workspace.dir)).code).toBe(2);
});
