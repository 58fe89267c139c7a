// Reads an instance's console on the host that runs it. A workflow only because Temporal
// runs activities for workflows: this one has a single short activity on `compute.<host>`.
import { proxyActivities } from '@temporalio/workflow';
import type { ConsoleActivities } from '../activities/console.js';
import { tagWorkflow } from './search-attributes.js';
import { computeTaskQueue } from './task-queues.js';

export async function consoleOutput(host: string, instanceId: string): Promise<string> {
  tagWorkflow('console-output', { host, instanceId });
  const { readConsoleTail } = proxyActivities<ConsoleActivities>({
    taskQueue: computeTaskQueue(host),
    // A console read is interactive: fail fast when the host's worker is not there.
    scheduleToStartTimeout: '15 seconds',
    startToCloseTimeout: '15 seconds',
    retry: { maximumAttempts: 2 },
  });
  return readConsoleTail(instanceId);
}
