// How strata starts another strata process: the same Node binary with tsx's loader on
// this checkout's CLI, so child processes need neither a build step nor npx.
import { fileURLToPath } from 'node:url';

const cliEntry = fileURLToPath(new URL('./main.ts', import.meta.url));

export function strataChildArgs(args: string[]): string[] {
  return ['--import', 'tsx', cliEntry, ...args];
}
