// `os-getConsoleOutput`: the end of an instance's serial console, read on its host by the
// short `consoleOutput` workflow, cut to the lines asked for and stripped of control
// characters as Nova strips them.
import type { Client } from '@temporalio/client';
import { randomUUID } from 'node:crypto';
import type { consoleOutput } from '../../workflows/console-output.js';
import { CONTROL_TASK_QUEUE } from '../../workflows/task-queues.js';

/** Control characters other than tab and newline (Nova's remove_re). */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL_CHARACTERS = /[\x00-\x08\x0B-\x1F]/g;
const READ_TIMEOUT_MS = 40_000;

/** The last `lines` lines of `log` (all when null), as Nova's _tail_log. */
export function consoleTail(log: string, lines: number | null): string {
  const cleaned = log.replace(CONTROL_CHARACTERS, '');
  if (lines === null) return cleaned;
  if (lines === 0) return '';
  return cleaned.split('\n').slice(-lines).join('\n');
}

export class ConsoleReader {
  constructor(
    private readonly temporal: Client,
    private readonly taskQueue: string = CONTROL_TASK_QUEUE,
  ) {}

  async read(instanceId: string, host: string, lines: number | null): Promise<string> {
    const log = await this.temporal.connection.withDeadline(Date.now() + READ_TIMEOUT_MS, () =>
      this.temporal.workflow.execute<typeof consoleOutput>('consoleOutput', {
        taskQueue: this.taskQueue,
        workflowId: `console-${instanceId}-${randomUUID()}`,
        args: [host, instanceId],
        workflowExecutionTimeout: '35 seconds',
      }),
    );
    return consoleTail(log, lines);
  }
}
