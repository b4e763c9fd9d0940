import { DomainError } from '../../core/errors.ts';
import { findUnstorableInput, formatPath } from '../shared/parse-input.ts';

/**
 * The messenger routes receive the body as text (the generic channel's signature covers the exact bytes):
 * parsed here, with the checks define-route applies to every parsed body (no NUL, no absurd nesting).
 */
export function parseJsonBody(raw: unknown): unknown {
  if (typeof raw !== 'string' || raw.trim() === '') throw new DomainError('invalid_input', 'must be a JSON document', 'body');
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch (err) {
    throw new DomainError('invalid_input', `is not JSON (${err instanceof Error ? err.message : String(err)})`, 'body');
  }
  const unstorable = findUnstorableInput(value);
  if (unstorable) throw new DomainError('invalid_input', unstorable.message, formatPath(unstorable.path) || 'body');
  return value;
}
