import { useCallback, useState } from 'react';

export type Submit = {
  busy: boolean;
  error: unknown;
  setError: (err: unknown) => void;
  /**
   * Clears the error, marks the form busy while `action` runs, and keeps what it throws as `error`
   * (or hands it to `onError` instead).
   */
  run: (action: () => Promise<void>, onError?: (err: unknown) => void) => Promise<void>;
};

/** The busy flag and last error of a form that submits to the API. */
export function useSubmit(): Submit {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(undefined);

  const run = useCallback(async (action: () => Promise<void>, onError?: (err: unknown) => void) => {
    setBusy(true);
    setError(undefined);
    try {
      await action();
    } catch (err) {
      if (onError) onError(err);
      else setError(err);
    } finally {
      setBusy(false);
    }
  }, []);

  return { busy, error, setError, run };
}
