// Which processes still belong to an instance: those whose command line names it (its
// QEMU). A killed QEMU its parent has not reaped yet is a zombie with an empty command
// line, so it no longer counts.
import { readdir, readFile } from 'node:fs/promises';

export async function processesOf(instanceId: string): Promise<number[]> {
  const pids = (await readdir('/proc')).filter((entry) => /^[0-9]+$/.test(entry));
  const lines = await Promise.all(pids.map(async (pid) => ({ pid: Number(pid), line: await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '') })));
  return lines.filter(({ line }) => line.includes(instanceId)).map(({ pid }) => pid);
}
