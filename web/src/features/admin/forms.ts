import { useEffect, useRef } from 'react';
import { ApiError } from '../../lib/api.ts';

/** Every field's message from an API error (all of them at once, review 12). */
export function fieldErrorsOf(err: unknown): Record<string, string> {
  return err instanceof ApiError ? err.fieldErrors() : {};
}

/** The error for the banner: anything not shown beside one of the form's own fields. */
export function bannerError(err: unknown, fields: readonly string[]): unknown {
  if (!(err instanceof ApiError)) return err;
  const shown = Object.keys(err.fieldErrors());
  return shown.length && shown.every((f) => fields.includes(f)) ? undefined : err;
}

/** After a failed submit, moves focus to the form's first invalid control, so keyboard and screen-reader users land on it. */
export function useFocusFirstInvalid<T extends HTMLElement>(error: unknown) {
  const ref = useRef<T>(null);
  useEffect(() => {
    if (!error) return;
    const first = ref.current?.querySelector<HTMLElement>('[aria-invalid="true"]');
    first?.focus();
  }, [error]);
  return ref;
}
