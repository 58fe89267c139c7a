// "Something was appended": a counter that waiters compare against, so a change that
// lands between a reader's last read and its wait is never missed.

export class ChangeSignal {
  private version = 0;
  private readonly waiters = new Set<() => void>();

  /** Take this before reading; pass it to waitForChange after the read came up short. */
  get current(): number {
    return this.version;
  }

  notify(): void {
    this.version += 1;
    for (const wake of this.waiters) wake();
    this.waiters.clear();
  }

  /** Resolves once notify() has been called after `since` was taken, or when `abort` fires. */
  waitForChange(since: number, abort: AbortSignal): Promise<void> {
    if (this.version !== since || abort.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const wake = () => {
        this.waiters.delete(wake);
        abort.removeEventListener('abort', wake);
        resolve();
      };
      this.waiters.add(wake);
      abort.addEventListener('abort', wake, { once: true });
    });
  }
}
