// Task-queue names: the control queue runs workflows and cluster-wide activities; each
// compute host and storage node polls its own queue (worker-specific task queues).
export const CONTROL_TASK_QUEUE = 'control';

export function computeTaskQueue(host: string): string {
  return `compute.${host}`;
}

export function storageTaskQueue(node: string): string {
  return `storage.${node}`;
}
