// os-getConsoleOutput: the tail of the guest's serial log, read on its host.
import { z } from 'zod';
import { DomainError } from '../../../domain/decider.js';
import { HttpError } from '../../errors.js';
import { serverAction } from './server-action.js';

const consoleOutputBody = z
  .object({
    length: z
      .union([z.number().int(), z.string().regex(/^-?[0-9]+$/, 'must be a whole number')])
      .transform(Number)
      .pipe(z.number().int().min(-1))
      .nullish(),
  })
  .strict();

/** The innermost cause: a failed workflow wraps the activity failure that says what happened. */
function rootMessage(error: unknown): string {
  let current = error;
  while (current instanceof Error && current.cause instanceof Error) current = current.cause;
  return current instanceof Error ? current.message : String(current);
}

export const consoleOutputAction = serverAction({
  policy: 'os_compute_api:os-console-output',
  body: consoleOutputBody,
  async handle({ server, options }, { length }) {
    const { host } = server.state;
    if (host === null) throw new DomainError('conflict', `Instance ${server.id} is not ready`);
    const lines = length ?? -1;
    try {
      return { output: await options.console.read(server.id, host, lines === -1 ? null : lines) };
    } catch (error) {
      throw new HttpError(503, `Unable to get the console output of instance ${server.id} from host ${host}: ${rootMessage(error)}`);
    }
  },
});
