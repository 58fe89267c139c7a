// Live data without reloads: calls `load` now and every `intervalMs`, never overlapping,
// and stops when the component unmounts. Errors are kept next to the last good data.
import { useCallback, useEffect, useRef, useState } from 'react';
import { messageOf } from './errors';

export interface Polled<T> {
  data: T | undefined;
  error: string | undefined;
  /** Loads again now (after an action), without waiting for the next tick. */
  refresh: () => void;
}

export const LIVE_INTERVAL_MS = 2000;

export function usePolling<T>(load: () => Promise<T>, intervalMs: number | null = LIVE_INTERVAL_MS): Polled<T> {
  const [data, setData] = useState<T>();
  const [error, setError] = useState<string>();
  const [tick, setTick] = useState(0);
  const loadRef = useRef(load);
  loadRef.current = load;
  const refresh = useCallback(() => setTick((value) => value + 1), []);

  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const run = async () => {
      try {
        const value = await loadRef.current();
        if (stopped) return;
        setData(value);
        setError(undefined);
      } catch (failure) {
        if (!stopped) setError(messageOf(failure));
      }
      if (!stopped && intervalMs !== null) timer = setTimeout(() => void run(), intervalMs);
    };
    void run();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [intervalMs, tick]);

  return { data, error, refresh };
}
