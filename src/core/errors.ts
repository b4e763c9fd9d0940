// Domain errors carry a code; http/error-map.ts is the one place that turns codes into HTTP statuses.
export const ERROR_CODES = [
  'invalid_input',
  'unauthenticated',
  'forbidden',
  /** An API token without the scope a request needs (docs/integrations.md); the message names the scope. */
  'insufficient_scope',
  'not_found',
  'conflict',
  'unprocessable',
  'rate_limited',
  'payload_too_large',
  /** Degraded mode (docs/surge.md): an admin made the system read-only; the message names the mode. */
  'read_only',
  /** A service Replyby depends on (the single sign-on provider) cannot be reached. */
  'unavailable',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/** One field's problem; `message` without the path (a form puts it beside the field). */
export type FieldError = { path: string; message: string };

export class DomainError extends Error {
  /** Every field's problem, in document order; the first is the one `path` and the message name. */
  readonly errors: readonly FieldError[];
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly path?: string,
    errors?: readonly FieldError[],
  ) {
    super(path ? `${path}: ${message}` : message);
    this.name = 'DomainError';
    this.errors = errors ?? (path !== undefined ? [{ path, message }] : []);
  }
}

export const invalidInput = (path: string, message: string) => new DomainError('invalid_input', message, path);
export const notFound = (what: string) => new DomainError('not_found', `${what} not found`);
export const forbidden = (message = 'not allowed') => new DomainError('forbidden', message);
export const conflict = (message: string, path?: string) => new DomainError('conflict', message, path);
