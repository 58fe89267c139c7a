// Starts child processes, prefixes their output, and stops every one of them by PID:
// SIGTERM in reverse start order, then SIGKILL for any that outlive the grace period.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';

interface Child {
  name: string;
  process: ChildProcess;
  exited: Promise<void>;
}

export interface SupervisorOptions {
  /** Called when a child exits while the supervisor is not stopping. */
  onUnexpectedExit?: (name: string, code: number | null, signal: NodeJS.Signals | null) => void;
  graceMs?: number;
  log?: (line: string) => void;
}

export class Supervisor {
  private readonly children: Child[] = [];
  private stopping = false;

  constructor(private readonly options: SupervisorOptions = {}) {}

  spawn(name: string, command: string, args: string[], env: NodeJS.ProcessEnv = process.env): ChildProcess {
    if (this.stopping) throw new Error(`not starting ${name}: shutting down`);
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const log = this.options.log ?? ((line: string) => process.stdout.write(`${line}\n`));
    for (const stream of [child.stdout, child.stderr]) {
      if (stream) createInterface({ input: stream }).on('line', (line) => log(`[${name}] ${line}`));
    }
    const exited = once(child, 'exit').then(([code, signal]) => {
      if (!this.stopping) this.options.onUnexpectedExit?.(name, code as number | null, signal as NodeJS.Signals | null);
    });
    child.on('error', (error) => log(`[${name}] failed to start: ${error.message}`));
    this.children.push({ name, process: child, exited });
    return child;
  }

  pids(): number[] {
    return this.children.flatMap((child) => (child.process.pid === undefined ? [] : [child.process.pid]));
  }

  async stopAll(): Promise<void> {
    this.stopping = true;
    const graceMs = this.options.graceMs ?? 10_000;
    for (const child of [...this.children].reverse()) {
      const { pid, exitCode, signalCode } = child.process;
      if (pid === undefined || exitCode !== null || signalCode !== null) continue;
      child.process.kill('SIGTERM');
      const timer = setTimeout(() => child.process.kill('SIGKILL'), graceMs);
      await child.exited;
      clearTimeout(timer);
    }
  }
}
