// A button's or form's async work: busy while it runs, its failure kept as a message.
import { useCallback, useState } from 'react';
import { messageOf } from './errors';

export interface AsyncAction {
  busy: boolean;
  error: string | undefined;
  /** Runs `work` unless one is already running; resolves either way (the error is kept). */
  run: (work: () => Promise<void>) => Promise<void>;
  setError: (message: string | undefined) => void;
}

export function useAsyncAction(): AsyncAction {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const run = useCallback(async (work: () => Promise<void>) => {
    setBusy(true);
    setError(undefined);
    try {
      await work();
    } catch (failure) {
      setError(messageOf(failure));
    } finally {
      setBusy(false);
    }
  }, []);
  return { busy, error, run, setError };
}
