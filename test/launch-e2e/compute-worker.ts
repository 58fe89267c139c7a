// A compute worker for a second host, started beside `strata up` with its environment, so
// a test can kill it (-9, by pid) in the middle of a launch and start it again.
import { execa, type ResultPromise } from 'execa';
import { waitUntil } from '../../runtime/wait.js';
import { hypervisors, type ComputeClient } from './compute-client.js';

export interface ComputeWorker {
  host: string;
  pid: number;
  output: () => string;
  kill9(): Promise<void>;
  stop(): Promise<void>;
}

export async function startComputeWorker(env: Record<string, string>, host: string, client: ComputeClient): Promise<ComputeWorker> {
  const child: ResultPromise<{ reject: false; all: true }> = execa('node', ['--import', 'tsx', 'cli/main.ts', 'worker', 'compute', '--host', host, '--az', 'nova'], {
    env,
    reject: false,
    all: true,
  });
  let output = '';
  child.all.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const pid = child.pid;
  if (pid === undefined) throw new Error(`compute worker for ${host} did not start: ${output}`);
  const exited = async () => {
    await child;
  };
  await waitUntil(`hypervisor ${host} to be up`, async () => {
    if (child.exitCode !== null) throw new Error(`compute worker for ${host} exited: ${output}`);
    const found = (await hypervisors(client)).find((row) => row.hypervisor_hostname === host);
    return found?.state === 'up';
  }, { timeoutMs: 90_000, intervalMs: 250 });
  return {
    host,
    pid,
    output: () => output,
    async kill9() {
      process.kill(pid, 'SIGKILL');
      await exited();
    },
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited();
    },
  };
}
