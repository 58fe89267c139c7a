// The guest's serial console, which QEMU writes to console.log in the instance's runDir
// (truncated on every start, so a marker found there is from the current boot).
import { watch } from 'node:fs';
import type { FSWatcher } from 'node:fs';
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

/**
 * Resolves with the console text once it contains marker; otherwise throws with its tail.
 * The log is re-read whenever QEMU writes to it (inotify), so the marker is seen within a
 * millisecond or so rather than at the next poll; the poll stays for the deadline, for
 * noticing that QEMU exited, and as a backstop should a change notification be missed.
 */
export async function waitForMarker(logPath: string, marker: string, options: WaitForMarkerOptions): Promise<string> {
  let text = '';
  let exited = false;
  const seen = new AbortController();
  const hasMarker = async () => {
    const current = await readConsole(logPath);
    // Reads may finish out of order; the log only grows, so the longest is the latest.
    if (current.length >= text.length) text = current;
    return text.includes(marker);
  };
  const watcher = watchChanges(logPath, () => hasMarker().then((found) => found && seen.abort()));
  const settled = async () => {
    if (await hasMarker()) return true;
    exited = options.isRunning !== undefined && !(await options.isRunning());
    // The guest may have printed the marker just before QEMU exited.
    if (exited) await hasMarker();
    return exited;
  };
  const signal = options.signal ? AbortSignal.any([options.signal, seen.signal]) : seen.signal;
  try {
    await waitUntil(`'${marker}' on the console ${logPath}`, settled, { timeoutMs: options.timeoutMs, intervalMs: options.pollMs ?? 50, signal });
  } catch (error) {
    if (options.signal?.aborted) throw error;
    if (!seen.signal.aborted) throw new BootMarkerError(`${(error as Error).message}; console ends with: ${consoleTail(text)}`);
  } finally {
    watcher?.close();
  }
  if (text.includes(marker)) return text;
  throw new BootMarkerError(`QEMU exited before '${marker}' appeared on the console ${logPath}; console ends with: ${consoleTail(text)}`);
}

/**
 * Calls onChange after writes to the file, one call at a time: QEMU may write a character
 * per system call, and the changes during one call are handled by the next. Undefined when
 * the file cannot be watched (not there yet): the caller's polling then does the work.
 */
function watchChanges(path: string, onChange: () => Promise<unknown>): FSWatcher | undefined {
  let running = false;
  let pending = false;
  const run = (): void => {
    if (running) {
      pending = true;
      return;
    }
    running = true;
    pending = false;
    onChange()
      .catch(() => undefined)
      .finally(() => {
        running = false;
        if (pending) run();
      });
  };
  try {
    return watch(path, { persistent: false }, run).on('error', () => undefined);
  } catch {
    return undefined;
  }
}

function consoleTail(text: string): string {
  const tail = text.slice(-400).trim();
  return tail === '' ? '(nothing)' : JSON.stringify(tail);
}
