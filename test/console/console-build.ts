// Builds the console (npm run build:console) when console/dist is missing or older than
// any of its sources, under a lock so test files started together build it once at a time.
import { execa } from 'execa';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const consoleDir = resolve(fileURLToPath(import.meta.url), '../../../console');
const builtPage = join(consoleDir, 'dist/index.html');

function newestSource(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...readdirSync(path).filter((name) => name !== 'dist').map((name) => newestSource(join(path, name))));
}

export function consoleIsStale(): boolean {
  return !existsSync(builtPage) || statSync(builtPage).mtimeMs < newestSource(consoleDir);
}

export async function ensureConsoleBuilt(): Promise<void> {
  if (!consoleIsStale()) return;
  const vite = join(consoleDir, '../node_modules/.bin/vite');
  await execa('flock', ['-w', '120', join(tmpdir(), 'strata-console-build.lock'), vite, 'build', '--config', join(consoleDir, 'vite.config.ts')], {
    // Vitest runs with NODE_ENV=test, which would give React's development build.
    env: { NODE_ENV: 'production' },
    timeout: 150_000,
  });
}
