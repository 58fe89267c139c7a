// Groups a subscription's events into batches: whatever is at hand in this turn of the
// event loop (a catch-up page, a burst of appends) goes into one transaction, while a
// lone live event is handed over at once instead of waiting for company.

/** Yields arrays of up to `maxBatch` items; a batch never stays open past the event loop's next check phase. */
export async function* inBatches<T>(source: AsyncIterable<T>, maxBatch: number): AsyncGenerator<T[]> {
  const iterator = source[Symbol.asyncIterator]();
  try {
    let pending = iterator.next();
    for (;;) {
      const first = await pending;
      if (first.done) return;
      const batch = [first.value];
      pending = iterator.next();
      const turn = turnEnd();
      let exhausted = false;
      try {
        while (batch.length < maxBatch) {
          const next = await Promise.race([pending, turn.ended]);
          if (next === turnEnded) break;
          if (next.done) {
            exhausted = true;
            break;
          }
          batch.push(next.value);
          pending = iterator.next();
        }
      } finally {
        turn.cancel();
      }
      yield batch;
      if (exhausted) return;
    }
  } finally {
    await iterator.return?.();
  }
}

const turnEnded = Symbol('turn ended');

function turnEnd(): { ended: Promise<typeof turnEnded>; cancel(): void } {
  let timer: NodeJS.Immediate | undefined;
  const ended = new Promise<typeof turnEnded>((resolve) => {
    timer = setImmediate(() => resolve(turnEnded));
  });
  return { ended, cancel: () => clearImmediate(timer) };
}
