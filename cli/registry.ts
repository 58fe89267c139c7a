// Every `strata` sub-command, in the order `strata help` lists them.
import type { CliCommand } from './command.js';
import { apiCommand } from './commands/api.js';
import { auditCommand } from './commands/audit.js';
import { cacheCommand } from './commands/cache.js';
import { imageCommand } from './commands/image.js';
import { failuresCommand } from './commands/failures.js';
import { projectionsCommand } from './commands/projections.js';
import { reapCommand } from './commands/reap.js';
import { retryCommand } from './commands/retry.js';
import { upCommand } from './commands/up.js';
import { workerCommand } from './commands/worker.js';
import { workflowCommand } from './commands/workflow.js';

export const commands: readonly CliCommand[] = [upCommand, apiCommand, workerCommand, projectionsCommand, auditCommand, imageCommand, cacheCommand, reapCommand, failuresCommand, retryCommand, workflowCommand];

export function findCommand(name: string): CliCommand | undefined {
  return commands.find((command) => command.name === name);
}
