// Group commit: appends that arrive while the event loop is busy wait in a queue and are
// written together in one transaction, so N concurrent appends cost one fsync, not N.
// Each request still gets its own outcome: one failing append does not fail the others.

export type Outcome<T> = { ok: true; value: T } | { ok: false; error: unknown };

const DEFAULT_MAX_BATCH_SIZE = 1000;

interface Waiting<Request, Result> {
  request: Request;
  resolve: (result: Result) => void;
  reject: (error: unknown) => void;
}

export class GroupCommitQueue<Request, Result> {
  private waiting: Waiting<Request, Result>[] = [];
  private scheduled = false;
  /** A batch whose writeBatch returned a promise is still being written: the next waits for it. */
  private writing = false;
  private idleWaiters: (() => void)[] = [];

  constructor(
    /**
     * Writes the batch in one transaction; returns one outcome per request, in order, or a
     * promise of them. Throws (or rejects) if the whole batch failed.
     */
    private readonly writeBatch: (requests: Request[]) => Outcome<Result>[] | Promise<Outcome<Result>[]>,
    private readonly options: {
      /** Upper bound on one transaction, so one flush cannot hold the write lock for long. */
      maxBatchSize?: number;
      /** Told each batch's outcomes once it is written, before its requests are answered. */
      onWritten?: (outcomes: readonly Outcome<Result>[]) => void;
    } = {},
  ) {}

  submit(request: Request): Promise<Result> {
    return new Promise<Result>((resolve, reject) => {
      this.waiting.push({ request, resolve, reject });
      this.schedule();
    });
  }

  /** Resolves once every request submitted so far has its outcome. */
  idle(): Promise<void> {
    if (this.waiting.length === 0 && !this.writing) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private schedule(): void {
    if (this.scheduled || this.writing) return;
    this.scheduled = true;
    // setImmediate, not a microtask: every append issued in this turn of the event loop
    // (and every continuation of the previous flush) joins the same transaction.
    setImmediate(() => this.flush());
  }

  private flush(): void {
    this.scheduled = false;
    const batch = this.waiting.splice(0, this.options.maxBatchSize ?? DEFAULT_MAX_BATCH_SIZE);
    let outcomes: Outcome<Result>[] | Promise<Outcome<Result>[]>;
    try {
      outcomes = this.writeBatch(batch.map((entry) => entry.request));
    } catch (error) {
      outcomes = failedAll(batch, error);
    }
    if (Array.isArray(outcomes)) this.settle(batch, outcomes);
    else this.settleWhenWritten(batch, outcomes);
  }

  private settleWhenWritten(batch: Waiting<Request, Result>[], written: Promise<Outcome<Result>[]>): void {
    this.writing = true;
    written.then(
      (outcomes) => this.settle(batch, outcomes),
      (error: unknown) => this.settle(batch, failedAll(batch, error)),
    );
  }

  private settle(batch: Waiting<Request, Result>[], outcomes: Outcome<Result>[]): void {
    this.writing = false;
    this.options.onWritten?.(outcomes);
    batch.forEach((entry, index) => {
      const outcome = outcomes[index] ?? { ok: false, error: new Error('group commit returned no outcome') };
      if (outcome.ok) entry.resolve(outcome.value);
      else entry.reject(outcome.error);
    });
    if (this.waiting.length > 0) {
      this.schedule();
      return;
    }
    for (const resolve of this.idleWaiters.splice(0)) resolve();
  }
}

function failedAll<T>(batch: readonly unknown[], error: unknown): Outcome<T>[] {
  return batch.map(() => ({ ok: false, error }));
}
