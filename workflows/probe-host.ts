// Asks a compute host, on its own task queue, what it can run. Operators and `strata up`
// use it to prove the host's worker is alive end to end; the scheduler's host
// registration builds on the same facts.
import { proxyActivities } from '@temporalio/workflow';
import type { HostFacts, HostProbeActivities } from '../activities/host-probe.js';
import { tagWorkflow } from './search-attributes.js';
import { computeTaskQueue } from './task-queues.js';

export async function probeHost(host: string): Promise<HostFacts> {
  tagWorkflow('probe-host', { host });
  const { describeHost } = proxyActivities<HostProbeActivities>({
    taskQueue: computeTaskQueue(host),
    startToCloseTimeout: '30 seconds',
    scheduleToStartTimeout: '1 minute',
    retry: { maximumAttempts: 3 },
  });
  return describeHost();
}
