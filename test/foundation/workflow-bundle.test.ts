// The workflow bundle stays lean: the TypeScript SDK evaluates a workflow's imports again
// for every new workflow run (each run gets its own module state), so a module that builds
// zod schemas at load time cost every launch ~10 ms of the control worker's CPU before its
// first step. Workflow code imports pure helpers from zod-free modules instead.
import { bundleWorkflowCode } from '@temporalio/worker';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { workflowsPath } from '../../workers/control.js';

const silent = { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} };

it('bundles no schema library and only workflow code, contracts and zod-free domain helpers', { timeout: 60_000 }, async () => {
  const { code } = await bundleWorkflowCode({ workflowsPath, logger: silent });
  expect(code).not.toMatch(/node_modules\/zod\//);
  const root = fileURLToPath(new URL('../../', import.meta.url));
  const ownModules = [...new Set([...code.matchAll(/"\.\/((?:workflows|activities|domain|application|eventstore)\/[^"]+\.ts)"/g)].map((match) => match[1]!))];
  expect(ownModules.length).toBeGreaterThan(10);
  for (const module of ownModules) expect(module, `${root}${module}`).toMatch(/^(workflows\/|activities\/launch\/(volume-)?contract\.ts$|domain\/compute\/boot-source\.ts$|domain\/volume\/initiator\.ts$)/);
});
