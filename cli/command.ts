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
