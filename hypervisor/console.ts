// The guest's serial console, which QEMU writes to console.log in the instance's runDir
// (truncated on every start, so a marker found there is from the current boot).
import { readFile } from 'node:fs/promises';
import { waitUntil } from '../runtime/wait.js';

export class BootMarkerError extends Error {
  override name = 'BootMarkerError';
}

export async function readConsole(logPath: string): Promise<string> {
  try {
    return await readFile(logPath, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return '';
    throw error;
  }
}

export interface WaitForMarkerOptions {
  timeoutMs: number;
  pollMs?: number;
  /** Stops the wait early once the guest can no longer print the marker (QEMU exited). */
  isRunning?: () => Promise<boolean>;
  /** Abandons the wait (its reason is thrown as is, not as a BootMarkerError). */
  signal?: AbortSignal;
}

/** Resolves with the console text once it contains marker; otherwise throws with its tail. */
export async function waitForMarker(logPath: string, marker: string, options: WaitForMarkerOptions): Promise<string> {
  let text = '';
  let exited = false;
  const settled = async () => {
    text = await readConsole(logPath);
    if (text.includes(marker)) return true;
    exited = options.isRunning !== undefined && !(await options.isRunning());
    // The guest may have printed the marker just before QEMU exited.
    if (exited) text = await readConsole(logPath);
    return exited;
  };
  try {
    await waitUntil(`'${marker}' on the console ${logPath}`, settled, { timeoutMs: options.timeoutMs, intervalMs: options.pollMs ?? 50, signal: options.signal });
  } catch (error) {
    if (options.signal?.aborted) throw error;
    throw new BootMarkerError(`${(error as Error).message}; console ends with: ${consoleTail(text)}`);
  }
  if (text.includes(marker)) return text;
  throw new BootMarkerError(`QEMU exited before '${marker}' appeared on the console ${logPath}; console ends with: ${consoleTail(text)}`);
}

function consoleTail(text: string): string {
  const tail = text.slice(-400).trim();
  return tail === '' ? '(nothing)' : JSON.stringify(tail);
}
