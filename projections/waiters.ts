// Callers waiting for the read model to reach a log position (read-your-writes). Checked
// after every commit; a projection that stopped below the position fails its waiters at
// once instead of letting them run into the timeout.

interface LaneProgress {
  readonly projection: { readonly name: string };
  readonly position: number;
  readonly failure: Error | null;
}

interface Waiter {
  position: number;
  resolve: () => void;
  reject: (error: Error) => void;
}

export class ProjectionTimeoutError extends Error {
  override readonly name = 'ProjectionTimeoutError';
}

export class ProjectionStoppedError extends Error {
  override readonly name = 'ProjectionStoppedError';
}

export class ProjectionWaiters {
  private readonly waiting = new Set<Waiter>();

  constructor(private readonly lanes: () => readonly LaneProgress[]) {}

  waitFor(position: number, timeoutMs: number): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(waiter);
        const reached = this.lanes().map((lane) => `${lane.projection.name} at ${lane.position}`);
        reject(new ProjectionTimeoutError(`read model did not reach position ${position} within ${timeoutMs} ms (${reached.join(', ')})`));
      }, timeoutMs);
      const waiter: Waiter = {
        position,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      };
      this.waiting.add(waiter);
      this.settle(waiter);
    });
  }

  /** Settles every waiter whose outcome is known now. */
  check(): void {
    for (const waiter of this.waiting) this.settle(waiter);
  }

  /** The runner stopped: nobody will move the positions any more. */
  stopAll(reason: Error): void {
    for (const waiter of this.waiting) waiter.reject(new ProjectionStoppedError(reason.message, { cause: reason }));
    this.waiting.clear();
  }

  private settle(waiter: Waiter): void {
    const lanes = this.lanes();
    const stopped = lanes.find((lane) => lane.failure && lane.position < waiter.position);
    if (stopped?.failure) {
      this.waiting.delete(waiter);
      const { name } = stopped.projection;
      waiter.reject(new ProjectionStoppedError(`projection ${name} stopped: ${stopped.failure.message}`, { cause: stopped.failure }));
    } else if (lanes.every((lane) => lane.position >= waiter.position)) {
      this.waiting.delete(waiter);
      waiter.resolve();
    }
  }
}
