// One piece of work per key at a time inside a process: callers that arrive while it
// runs join it, share its result and hear its progress (each heartbeats its own
// activity from it). The first caller starting the work does not own it: if that
// caller goes away, the others still get their result.
export type ProgressListener<Progress> = (progress: Progress) => void;

interface Flight<Result, Progress> {
  promise: Promise<Result>;
  listeners: Set<ProgressListener<Progress>>;
}

export class SingleFlight<Result, Progress> {
  private readonly flights = new Map<string, Flight<Result, Progress>>();

  /** Runs work for key, or joins the run already in flight; `emit` reaches every caller. */
  async run(key: string, listener: ProgressListener<Progress> | undefined, work: (emit: ProgressListener<Progress>) => Promise<Result>): Promise<Result> {
    let flight = this.flights.get(key);
    if (!flight) {
      const listeners = new Set<ProgressListener<Progress>>();
      const emit = (progress: Progress) => {
        for (const each of listeners) each(progress);
      };
      const promise = work(emit).finally(() => this.flights.delete(key));
      flight = { promise, listeners };
      this.flights.set(key, flight);
    }
    if (listener) flight.listeners.add(listener);
    try {
      return await flight.promise;
    } finally {
      if (listener) flight.listeners.delete(listener);
    }
  }
}
