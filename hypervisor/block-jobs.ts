// Block jobs over QMP: start one with a job id, wait for its completion event, and turn
// a job that ended with an error (or was cancelled) into an exception.
import { rm } from 'node:fs/promises';
import { fileNode } from './qemu-block.js';
import { createDisk } from './qemu-img.js';
import type { QmpClient } from './qmp.js';

export class BlockJobError extends Error {
  override name = 'BlockJobError';
}

const defaultJobTimeoutMs = 10 * 60_000;

/** Runs a block-job command (blockdev-backup, block-stream, …) whose args carry 'job-id'. */
export async function runBlockJob(
  qmp: QmpClient,
  command: string,
  args: { 'job-id': string } & Record<string, unknown>,
  { timeoutMs = defaultJobTimeoutMs } = {},
): Promise<void> {
  const jobId = args['job-id'];
  const ended = await qmp.executeAndWaitForEvent(command, args, ['BLOCK_JOB_COMPLETED', 'BLOCK_JOB_CANCELLED'], {
    timeoutMs,
    where: (event) => event.data.device === jobId,
  });
  if (ended.event === 'BLOCK_JOB_CANCELLED') throw new BlockJobError(`${command} job ${jobId} was cancelled`);
  const error = ended.data.error;
  if (typeof error === 'string') throw new BlockJobError(`${command} job ${jobId} failed: ${error}`);
}

export interface BackupOptions {
  /** Node name of the disk to copy (vda …). */
  node: string;
  /** New standalone qcow2 image; the whole backing chain is flattened into it. */
  target: string;
  timeoutMs?: number;
}

interface NamedBlockNode {
  'node-name': string;
  image: { 'virtual-size': number };
}

export function backupJobId(node: string): string {
  return `backup-${node}`;
}

function backupTargetNode(node: string): string {
  return `${node}-backup`;
}

/**
 * A consistent point-in-time copy of a running VM's disk (a snapshot's data) with
 * blockdev-backup; QEMU 7.2 marks the one-step drive-backup deprecated.
 */
export async function backupDisk(qmp: QmpClient, { node, target, timeoutMs }: BackupOptions): Promise<void> {
  const nodes = await qmp.execute<NamedBlockNode[]>('query-named-block-nodes', { flat: true });
  const source = nodes.find((candidate) => candidate['node-name'] === node);
  if (!source) throw new BlockJobError(`the VM has no block node '${node}' to back up`);
  await createDisk(target, source.image['virtual-size'], { format: 'qcow2' });
  const targetNode = backupTargetNode(node);
  try {
    await qmp.execute('blockdev-add', { driver: 'qcow2', 'node-name': targetNode, file: fileNode(targetNode, target) });
    try {
      await runBlockJob(qmp, 'blockdev-backup', { 'job-id': backupJobId(node), device: node, target: targetNode, sync: 'full' }, { timeoutMs });
    } finally {
      await qmp.execute('blockdev-del', { 'node-name': targetNode });
    }
  } catch (error) {
    await rm(target, { force: true });
    throw error;
  }
}

/**
 * Ends what a backup of `node` left in QEMU when its caller died mid-way (a job still
 * running, its target node still open), so the backup can start again; the target file
 * is the caller's to remove.
 */
export async function abandonBackup(qmp: QmpClient, node: string, { timeoutMs = 30_000 } = {}): Promise<void> {
  const jobId = backupJobId(node);
  const jobs = await qmp.execute<Array<{ device: string }>>('query-block-jobs');
  if (jobs.some((job) => job.device === jobId)) {
    await qmp.executeAndWaitForEvent('block-job-cancel', { device: jobId, force: true }, ['BLOCK_JOB_COMPLETED', 'BLOCK_JOB_CANCELLED'], {
      timeoutMs,
      where: (event) => event.data.device === jobId,
    });
  }
  const nodes = await qmp.execute<NamedBlockNode[]>('query-named-block-nodes', { flat: true });
  const targetNode = backupTargetNode(node);
  if (nodes.some((candidate) => candidate['node-name'] === targetNode)) await qmp.execute('blockdev-del', { 'node-name': targetNode });
}
