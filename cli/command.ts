// A `strata` sub-command. cli/main.ts dispatches on the first argument to the command
// whose name matches; each command parses the rest of argv itself (node:util parseArgs).
import type { StrataConfig } from '../config/schema.js';

export interface CliContext {
  /** Validated configuration (file + STRATA_* environment). */
  config: StrataConfig;
}

export interface CliCommand {
  /** First word on the command line, e.g. `projections`. */
  name: string;
  /** One line for `strata help`. */
  summary: string;
  /** Usage text printed by `strata help <name>` and on bad arguments. */
  usage: string;
  /** Returns the process exit code. Long-running commands resolve when they have stopped. */
  run(args: string[], context: CliContext): Promise<number>;
}

/**
 * Runs a command's work and prints its result, as JSON or as text: exit 0; or prints
 * `strata <label>: <error>` on stderr: exit 1.
 */
export async function printOutcome<T>(label: string, json: boolean, work: () => Promise<T>, describe: (result: T) => string): Promise<number> {
  try {
    const result = await work();
    console.log(json ? JSON.stringify(result, null, 2) : describe(result));
    return 0;
  } catch (error) {
    console.error(`strata ${label}: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}
