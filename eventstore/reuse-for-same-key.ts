// A command appends all its events with one envelope: work that depends only on the
// envelope (validating it, writing it canonically) is done once per run of events that
// share the same object, not once per event.

/** compute(item), reused for the next items while keyOf gives the very same key. */
export function reuseForSameKey<T, K, V>(keyOf: (item: T) => K, compute: (item: T) => V): (item: T) => V {
  let last: { key: K; value: V } | undefined;
  return (item) => {
    const key = keyOf(item);
    if (last === undefined || last.key !== key) last = { key, value: compute(item) };
    return last.value;
  };
}
